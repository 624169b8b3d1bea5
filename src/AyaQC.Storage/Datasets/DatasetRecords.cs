using AyaQC.Core.Datasets;

namespace AyaQC.Storage.Datasets;

public sealed record DatasetImport(string Name, string? BatchId, DatasetFormat Format);

public sealed record StoredDataset(string Id, string Name, string Format, long RowCount, long LabelledCount,
    IReadOnlyList<string> SignalColumns, IReadOnlyList<string> MetadataColumns, DateTimeOffset CreatedAt);

/// <summary>An import's outcome: the dataset (fresh, or the earlier one for a replayed batch id), or the problems that
/// rejected the whole file (the first <see cref="DatasetStore.MaxProblemsListed"/>, and how many there were).</summary>
public sealed record DatasetImportResult(StoredDataset? Dataset, bool Replayed, IReadOnlyList<RowProblem> Problems, long ProblemCount);

/// <summary>Which rows to browse: after a cursor (the row's seq), with or without a trusted label, and by the result of
/// a back-translation job (the dataset's latest unless one is named): failed rows, flagged rows, rows with one flag.</summary>
public sealed record RowQuery(long After = 0, int Limit = 100, bool? HasLabel = null, bool? Failed = null, bool? Flagged = null,
    string? Flag = null, string? JobId = null);

/// <summary>A row with its back-translation result, when the job has one.</summary>
public sealed record StoredRow(long Seq, string Id, int Line, string SourceLang, string TargetLang, string Source, string Translation,
    string? PostEdit, string? Label, string? SignalsJson, string? MetadataJson, RowResult? Result);

public sealed record RowResult(string JobId, string Status, string? BackTranslation, double? ChrF, double? LengthRatio,
    bool SourceTruncated, IReadOnlyList<string> Flags, string? FlagReasonsJson, string? Failure);

public sealed record RowPage(IReadOnlyList<StoredRow> Rows, long? NextCursor, string? JobId);
