using System.Text.Json;
using System.Text.Json.Serialization;

namespace AyaQC.Contracts;

// Shapes of the /api/v1 datasets and jobs API (issue 10). JSON is camelCase.

public sealed record DatasetResponse(
    string Id, string Name, string Format, long Rows, long LabelledRows, IReadOnlyList<string> SignalColumns,
    IReadOnlyList<string> MetadataColumns, DateTimeOffset CreatedAt, bool Replayed);

/// <summary>A flag raised on a row and why (e.g. <c>low_similarity</c>: "chrF++ 12.4 below 35").</summary>
public sealed record RowFlag(string Flag, string Reason);

/// <summary>A row's back-translation result in one job: Status is "done" or "failed" (then Failure says why).</summary>
public sealed record RowResultResponse(
    string JobId, string Status, string? BackTranslation, double? ChrF, double? LengthRatio, bool SourceTruncated,
    IReadOnlyList<RowFlag> Flags, string? Failure);

public sealed record DatasetRowResponse(
    long Seq, string Id, int Line, string SourceLang, string TargetLang, string Source, string Translation, string? PostEdit,
    string? Label, IReadOnlyDictionary<string, double>? Signals, JsonElement? Metadata, RowResultResponse? Result);

/// <summary>One page of rows; pass NextCursor as <c>cursor</c> for the next page (null on the last).</summary>
public sealed record DatasetRowsPage(IReadOnlyList<DatasetRowResponse> Rows, string? NextCursor, string? JobId);

/// <summary>Starts a back-translation job; omitted fields take the server's configured defaults.</summary>
public sealed record StartBackTranslationRequest(
    int? BatchSize = null, int? Beams = null, string? Queue = null, FlagThresholds? Thresholds = null);

/// <summary>Thresholds of the mismatch flags (see docs/datasets.md); omitted ones keep their defaults.</summary>
public sealed record FlagThresholds(
    double? MinChrF = null, double? CopiedChrF = null, double? MinScriptShare = null, double? MinLengthRatio = null,
    double? MaxLengthRatio = null, double? TruncatedLengthRatio = null);

/// <summary>A job's progress: State is queued | running | succeeded | failed | cancelled; RowsPerSecond counts rows
/// finished per second of processing; EtaSeconds is null until a rate is known. Kind is backtranslation or filter; a
/// filter job's Stage is train (fitting the agreement model) or apply (deciding rows).</summary>
public sealed record JobResponse(
    string Id, string Kind, string DatasetId, string State, string Queue, long RowsTotal, long RowsDone, long RowsFailed,
    double RowsPerSecond, double? EtaSeconds, int Attempts, string Signature, string? Device, string? DeviceNote, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Stage = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DatasetResponse))]
[JsonSerializable(typeof(List<DatasetResponse>))]
[JsonSerializable(typeof(DatasetRowsPage))]
[JsonSerializable(typeof(StartBackTranslationRequest))]
[JsonSerializable(typeof(JobResponse))]
[JsonSerializable(typeof(List<JobResponse>))]
public sealed partial class DatasetJsonContext : JsonSerializerContext;
