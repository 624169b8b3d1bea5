namespace AyaQC.Core.Metrics;

/// <summary>
/// TER edit counts of one sentence pair. Kinds are named for post-editing the hypothesis into the reference:
/// an insertion adds a reference word the hypothesis lacks, a deletion removes a hypothesis word, a shift moves
/// a block of hypothesis words (cost 1 whatever its length).
/// </summary>
public readonly record struct TerStatistics(int Insertions, int Deletions, int Substitutions, int Shifts, int RefLength)
{
    public int Edits => Insertions + Deletions + Substitutions + Shifts;

    /// <summary>Sentence TER ×100, as sacreBLEU reports it (may exceed 100).</summary>
    public double Score => TranslationEditRate.ScoreOf(Edits, RefLength);
}

/// <summary>One step of the final alignment between the shifted hypothesis and the reference.</summary>
public enum TerOperation
{
    Match,
    Substitution,
    /// <summary>A reference word missing from the hypothesis.</summary>
    Insertion,
    /// <summary>A hypothesis word absent from the reference.</summary>
    Deletion,
}

/// <summary>A block of <see cref="Length"/> words moved from <see cref="Start"/> to before position <see cref="Target"/> of the hypothesis as it was then.</summary>
public readonly record struct TerShift(int Start, int Length, int Target);

/// <summary>Everything needed to display how a hypothesis was edited into its reference.</summary>
public sealed record TerAlignment(
    IReadOnlyList<string> Hypothesis,
    IReadOnlyList<string> Reference,
    IReadOnlyList<string> ShiftedHypothesis,
    IReadOnlyList<TerShift> Shifts,
    IReadOnlyList<TerOperation> Operations,
    TerStatistics Statistics);

/// <summary>
/// Corpus TER: total edits over total reference length (a micro average, not the mean of sentence scores),
/// the aggregation sacreBLEU's <c>corpus_score</c> uses.
/// </summary>
public sealed class TerCorpus
{
    public long Insertions { get; private set; }
    public long Deletions { get; private set; }
    public long Substitutions { get; private set; }
    public long Shifts { get; private set; }
    public long RefLength { get; private set; }
    public long Sentences { get; private set; }

    public long Edits => Insertions + Deletions + Substitutions + Shifts;

    public double Score => TranslationEditRate.ScoreOf(Edits, RefLength);

    public void Add(TerStatistics s)
    {
        Insertions += s.Insertions;
        Deletions += s.Deletions;
        Substitutions += s.Substitutions;
        Shifts += s.Shifts;
        RefLength += s.RefLength;
        Sentences++;
    }
}
