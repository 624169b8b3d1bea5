namespace AyaQC.Core.Filtering;

/// <summary>One assessor's vote on a row: good or bad, the assessor's estimated accuracy (0–1), and whether that
/// assessor's skill was verified on control items with known answers.</summary>
public readonly record struct RowVote(bool Good, double Skill, bool ControlVerified);

/// <summary>
/// Everything known about one dataset row that the agreement model can use. Each part may be absent (no votes yet,
/// no back-translation, no post-edit); absent parts become missing features, never zeros.
/// </summary>
public sealed record RowSignals(string Id)
{
    public IReadOnlyList<RowVote> Votes { get; init; } = [];

    /// <summary>chrF++ (0–100) of the back-translation against the source; null when not back-translated.</summary>
    public double? BackTranslationChrF { get; init; }

    /// <summary>Back-translation characters / source characters; null when not back-translated.</summary>
    public double? BackTranslationLengthRatio { get; init; }

    /// <summary>Named mismatch flags (e.g. <c>bt</c>, <c>numbers</c>); a flag not checked is simply not listed.</summary>
    public IReadOnlyDictionary<string, bool> Flags { get; init; } = new Dictionary<string, bool>();

    /// <summary>The machine translation and its accepted human post-edit; HTER is computed when both are present.</summary>
    public string? Translation { get; init; }
    public string? AcceptedPostEdit { get; init; }

    /// <summary>Numeric signal columns the dataset carries (e.g. <c>mt_score</c>); null values are missing.</summary>
    public IReadOnlyDictionary<string, double?> NumericSignals { get; init; } = new Dictionary<string, double?>();
}
