using AyaQC.Core.Metrics;

namespace AyaQC.Reports.Hter;

/// <summary>One machine translation and its human post-edit.</summary>
public sealed record PostEditedRow(string Translation, string PostEdit, string? Id = null, string? LanguagePair = null, string? PostEditor = null);

/// <summary>
/// A scored row, as listed among the highest-HTER rows, with its alignment: the translation (after the shifts)
/// read against the post-edit, word by word.
/// </summary>
public sealed record HterRow(string? Id, string? LanguagePair, string? PostEditor, string Translation, string PostEdit,
    double Hter, int Insertions, int Deletions, int Substitutions, int Shifts, int RefWords)
{
    public IReadOnlyList<TerStep> Alignment { get; init; } = [];
}

/// <summary>
/// HTER figures for one group of rows (everything, one language pair, or one post-editor). HTER is TER against
/// the post-edit as a fraction (0.25 = a quarter of the post-edit's words needed an edit); it may exceed 1.
/// </summary>
public sealed record HterGroup(
    string Name,
    int Rows,
    double MeanHter,
    double MedianHter,
    double CorpusHter,
    double UnchangedShare,
    long Insertions,
    long Deletions,
    long Substitutions,
    long Shifts,
    long RefWords,
    IReadOnlyList<HterBin> Histogram,
    IReadOnlyList<HterRow> HighestRows);

/// <summary>Histogram bin [From, To) of sentence HTER; the last bin also holds every HTER above it (HTER can exceed 1).</summary>
public sealed record HterBin(double From, double To, int Rows);

/// <summary>The HTER report for project leads: overall, per language pair and per post-editor.</summary>
public sealed record HterReport(
    string Signature,
    string? Source,
    HterGroup Overall,
    IReadOnlyList<HterGroup> ByLanguagePair,
    IReadOnlyList<HterGroup> ByPostEditor);

/// <summary>
/// Builds an <see cref="HterReport"/> from rows streamed one at a time: per group it keeps the aggregates,
/// one double per row (for the median) and the k highest rows, never the whole dataset.
/// </summary>
public sealed class HterReportBuilder(TranslationEditRate? ter = null, int highestRows = 10, int histogramBins = 10)
{
    readonly TranslationEditRate _ter = ter ?? new TranslationEditRate();
    readonly GroupAccumulator _overall = new("all rows");
    readonly Dictionary<string, GroupAccumulator> _byPair = new(StringComparer.Ordinal);
    readonly Dictionary<string, GroupAccumulator> _byEditor = new(StringComparer.Ordinal);

    public const string UnknownGroup = "(unspecified)";

    public int Count => _overall.Rows;

    /// <summary>Scores <paramref name="row"/> and adds it to its groups; returns its TER statistics.</summary>
    public TerStatistics Add(PostEditedRow row)
    {
        var stats = _ter.Statistics(row.Translation, row.PostEdit);
        var unchanged = string.Equals(row.Translation.Trim(), row.PostEdit.Trim(), StringComparison.Ordinal);
        var pair = string.IsNullOrWhiteSpace(row.LanguagePair) ? UnknownGroup : row.LanguagePair;
        var editor = string.IsNullOrWhiteSpace(row.PostEditor) ? UnknownGroup : row.PostEditor;
        _overall.Add(row, stats, unchanged, highestRows);
        Group(_byPair, pair).Add(row, stats, unchanged, highestRows);
        Group(_byEditor, editor).Add(row, stats, unchanged, highestRows);
        return stats;
    }

    public HterReport Build(string? source = null) => new(
        _ter.Signature,
        source,
        _overall.Build(histogramBins, _ter),
        _byPair.Values.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => g.Build(histogramBins, _ter)).ToList(),
        _byEditor.Values.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => g.Build(histogramBins, _ter)).ToList());

    static GroupAccumulator Group(Dictionary<string, GroupAccumulator> groups, string name)
    {
        if (!groups.TryGetValue(name, out var g)) groups[name] = g = new GroupAccumulator(name);
        return g;
    }

    /// <summary>Sentence HTER as a fraction (sacreBLEU's TER / 100).</summary>
    public static double HterOf(TerStatistics s) => s.Score / 100;

    sealed class GroupAccumulator(string name)
    {
        public string Name { get; } = name;
        public int Rows;
        int _unchanged;
        readonly TerCorpus _corpus = new();
        readonly List<double> _hters = [];
        // Min-heap on (HTER, arrival order): the root is the lowest of the kept rows, evicted first.
        readonly PriorityQueue<HterRow, (double, long)> _highest = new();

        public void Add(PostEditedRow row, TerStatistics s, bool unchanged, int keep)
        {
            Rows++;
            if (unchanged) _unchanged++;
            _corpus.Add(s);
            var hter = HterOf(s);
            _hters.Add(hter);
            if (keep <= 0) return;
            // Ties keep the earlier row: a later row must be strictly higher to evict.
            var priority = (hter, -(long)Rows);
            if (_highest.Count < keep)
                _highest.Enqueue(Scored(row, s, hter), priority);
            else if (_highest.TryPeek(out _, out var lowest) && priority.CompareTo(lowest) > 0)
                _highest.EnqueueDequeue(Scored(row, s, hter), priority);
        }

        static HterRow Scored(PostEditedRow row, TerStatistics s, double hter) =>
            new(row.Id, row.LanguagePair, row.PostEditor, row.Translation, row.PostEdit, hter,
                s.Insertions, s.Deletions, s.Substitutions, s.Shifts, s.RefLength);

        public HterGroup Build(int bins, TranslationEditRate ter)
        {
            var sorted = _hters.ToArray();
            Array.Sort(sorted);
            var median = sorted.Length == 0 ? 0
                : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
                : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
            var histogram = new HterBin[bins];
            var counts = new int[bins];
            foreach (var h in sorted) counts[Math.Clamp((int)Math.Floor(h * bins), 0, bins - 1)]++;
            for (var i = 0; i < bins; i++) histogram[i] = new HterBin((double)i / bins, (double)(i + 1) / bins, counts[i]);
            // Alignments only for the rows shown, computed once at the end.
            var highest = _highest.UnorderedItems.OrderByDescending(x => x.Priority)
                .Select(x => x.Element with { Alignment = ter.Align(x.Element.Translation, x.Element.PostEdit).Steps() })
                .ToList();
            return new HterGroup(Name, Rows,
                MeanHter: Rows == 0 ? 0 : sorted.Sum() / Rows,
                MedianHter: median,
                CorpusHter: _corpus.Score / 100,
                UnchangedShare: Rows == 0 ? 0 : (double)_unchanged / Rows,
                _corpus.Insertions, _corpus.Deletions, _corpus.Substitutions, _corpus.Shifts, _corpus.RefLength,
                histogram, highest);
        }
    }
}
