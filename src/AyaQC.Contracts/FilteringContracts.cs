using System.Text.Json;
using System.Text.Json.Serialization;

namespace AyaQC.Contracts;

// Shapes of the /api/v1 filtering routes (issue 12): pipeline tokens, decisions and overrides, filter jobs, export.

public sealed record CreatePipelineTokenRequest(string Name);

/// <summary>A pipeline token; <see cref="Token"/> is shown once, when it is made.</summary>
public sealed record PipelineTokenResponse(string Id, string Name, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? Token);

/// <summary>A lead's override of one row's decision: keep, drop or review, and why (required, kept in the audit trail).</summary>
public sealed record OverrideRequest(string Decision, string Reason);

/// <summary>One audited override: who (the admin key's name), when, why, and what it replaced.</summary>
public sealed record OverrideResponse(string Id, string RowId, string Decision, string? PreviousDecision, string? ModelDecision,
    string Reason, string Lead, DateTimeOffset At);

/// <summary>
/// A row's decision. Decision is the effective one (the lead's override when there is one, else the model's);
/// Signature names the model, its options and thresholds. Overrides lists the audit trail (on the single-row route).
/// </summary>
public sealed record RowDecisionResponse(long Seq, string RowId, string? Decision, string? ModelDecision, double? PGood,
    IReadOnlyList<string> Reasons, string? Signature, string? JobId, DateTimeOffset? DecidedAt, bool Overridden,
    IReadOnlyList<OverrideResponse>? Overrides);

public sealed record DecisionsPage(IReadOnlyList<RowDecisionResponse> Rows, string? NextCursor);

/// <summary>How a dataset's rows stand: effective decisions (a lead's override, else the model's), how many of them are
/// overrides, and rows no filter job has decided yet.</summary>
public sealed record DecisionCountsResponse(string DatasetId, long Rows, long Keep, long Review, long Drop, long Undecided, long Overridden);

/// <summary>Starts a filter job: train the agreement model on the rows with a trusted label — a lead's override (keep = good,
/// drop = bad), the dataset's <c>label</c> column, or, when a project over the dataset is named, a post-edit a reviewer
/// accepted (HTER 0 = good, HTER above <c>PostEditBadHter</c>, default 0.3, = bad) — with the project's votes, then
/// decide every row. Omitted fields keep the defaults of <c>ayaqc filter train</c>.</summary>
public sealed record StartFilterJobRequest(string? ProjectId = null, string? Trainer = null, int? Folds = null, int? Seed = null,
    int? Iterations = null, double? KeepPrecision = null, double? DropPrecision = null, int? ChunkSize = null, double? PostEditBadHter = null);

/// <summary>
/// One exported row: the Aya dataset's shape (<c>inputs</c>, <c>targets</c>, <c>language</c>, <c>language_code</c>,
/// <c>annotation_type</c>, <c>user_id</c>) plus the QC columns. <c>cursor</c> resumes the export after this row.
/// </summary>
public sealed record ExportRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("inputs")] string Inputs,
    [property: JsonPropertyName("targets")] string Targets,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("language_code")] string LanguageCode,
    [property: JsonPropertyName("annotation_type")] string AnnotationType,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("decision")] string? Decision,
    [property: JsonPropertyName("overridden")] bool Overridden,
    [property: JsonPropertyName("p_good")] double? PGood,
    [property: JsonPropertyName("votes")] int? Votes,
    [property: JsonPropertyName("chrf")] double? ChrF,
    [property: JsonPropertyName("hter")] double? Hter,
    [property: JsonPropertyName("reasons")] string? Reasons,
    [property: JsonPropertyName("model_signature")] string? ModelSignature,
    [property: JsonPropertyName("cursor")] string Cursor);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CreatePipelineTokenRequest))]
[JsonSerializable(typeof(PipelineTokenResponse))]
[JsonSerializable(typeof(List<PipelineTokenResponse>))]
[JsonSerializable(typeof(OverrideRequest))]
[JsonSerializable(typeof(OverrideResponse))]
[JsonSerializable(typeof(RowDecisionResponse))]
[JsonSerializable(typeof(DecisionsPage))]
[JsonSerializable(typeof(DecisionCountsResponse))]
[JsonSerializable(typeof(StartFilterJobRequest))]
[JsonSerializable(typeof(ExportRecord))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class FilteringJsonContext : JsonSerializerContext;
