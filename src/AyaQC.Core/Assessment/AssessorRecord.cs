namespace AyaQC.Core.Assessment;

/// <summary>
/// What the board knows about one assessor: answer counts per signal and an online skill — a Beta posterior over
/// control accuracy, starting from the prior (<see cref="SkillPrior"/>) and counting each control answer.
/// </summary>
public sealed class AssessorRecord(string id, int index, SkillPrior prior)
{
    public string Id { get; } = id;
    internal int Index { get; } = index;
    public int Answers { get; internal set; }
    public int Controls { get; internal set; }
    public int ControlsCorrect { get; internal set; }
    public int TimedAnswers { get; internal set; }
    public int FastAnswers { get; internal set; }
    public int AgreementChecks { get; internal set; }
    public int Agreements { get; internal set; }
    public SuspensionEvidence? Suspension { get; internal set; }

    /// <summary>Seconds from serving to answer of the last answer (what a replay of it needs).</summary>
    public double LastAnswerSeconds { get; internal set; }
    public bool Suspended => Suspension is not null;

    /// <summary>Mean of Beta(prior correct + right, prior wrong + wrong): the expected control accuracy.</summary>
    public double Skill => (prior.Correct + ControlsCorrect) / (prior.Correct + prior.Wrong + Controls);

    internal readonly HashSet<int> Seen = [];
    internal int Current = -1;
    internal DateTimeOffset ServedAt;
}

/// <summary>Beta prior of an assessor's control accuracy, as pseudo-counts (default 4 right, 1 wrong: mean 0.8).</summary>
public sealed record SkillPrior(double Correct = 4, double Wrong = 1)
{
    public static SkillPrior Default { get; } = new();
    public string Signature => FormattableString.Invariant($"beta:{Correct:R},{Wrong:R}");
}
