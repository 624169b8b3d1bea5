namespace AyaQC.Storage.Filtering;

/// <summary>The decisions, as stored text. The effective decision is the lead's override when there is one.</summary>
public static class Decisions
{
    public const string Keep = "keep", Drop = "drop", Review = "review";
    public static readonly IReadOnlyList<string> All = [Keep, Drop, Review];
}

/// <summary>A row's decision: the model's (with p_good, reasons and the signature naming model and thresholds) and
/// the lead's override, if any. <see cref="Decision"/> is the effective one.</summary>
public sealed record StoredDecision(long Seq, string RowId, string? JobId, string? ModelDecision, double? PGood, string? Reasons,
    string? Signature, int? Votes, double? ChrF, double? Hter, DateTimeOffset? DecidedAt, string? OverrideDecision, string? OverrideId)
{
    public string? Decision => OverrideDecision ?? ModelDecision;
}

/// <summary>One audited override: who (the admin key's name), when, why, and what it replaced.</summary>
public sealed record StoredOverride(string Id, long Seq, string RowId, string Decision, string? PreviousDecision, string? ModelDecision,
    string Reason, string Lead, DateTimeOffset At);

/// <summary>A model decision as a filter job writes it; <see cref="Reasons"/> are joined by <see cref="ReasonSeparator"/>.</summary>
public sealed record ModelDecision(long Seq, string RowId, string Decision, double PGood, string Reasons, int? Votes, double? ChrF, double? Hter)
{
    public const string ReasonSeparator = "; ";
}

/// <summary>A row as the export streams it: the dataset row, its effective decision and the QC values.</summary>
public sealed record ExportRow(long Seq, string RowId, string SourceLang, string TargetLang, string Source, string Translation,
    string? PostEdit, string? MetadataJson, string? Decision, bool Overridden, double? PGood, string? Reasons, string? Signature,
    int? Votes, double? ChrF, double? Hter);

/// <summary>A dataset row as the agreement model reads it (BtStatus is null when the row has no back-translation).</summary>
public sealed class FeatureRow
{
    public long Seq { get; set; }
    public string RowId { get; set; } = "";
    public string Translation { get; set; } = "";
    public string? PostEdit { get; set; }
    public string? Label { get; set; }
    /// <summary>The lead's override decision on the row (keep, drop, review), if any: an expert's label for training.</summary>
    public string? ExpertDecision { get; set; }
    public string? SignalsJson { get; set; }
    public string? BtStatus { get; set; }
    public double? ChrF { get; set; }
    public double? LengthRatio { get; set; }
    public string? Flags { get; set; }
}
