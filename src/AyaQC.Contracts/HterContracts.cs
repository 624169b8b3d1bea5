using System.Text.Json.Serialization;

namespace AyaQC.Contracts;

// The HTER report of a project's accepted post-edits (issue 12), as GET /api/v1/projects/{id}/hter serves it.

/// <summary>
/// HTER over a project's accepted post-edits: <see cref="All"/> over every accepted post-edit, <see cref="Kept"/> over
/// those whose row's effective filter decision is keep (the latest filter job's decision or a lead's override).
/// <see cref="KeptBy"/> names that rule and <see cref="DecisionSignatures"/> the models whose decisions counted.
/// </summary>
public sealed record ProjectHterResponse(string ProjectId, string? DatasetId, string Signature, string KeptBy,
    IReadOnlyList<string> DecisionSignatures, HterReportResponse All, HterReportResponse Kept);

/// <summary>One HTER report: overall, per language pair and per post-editor (the file command's report, field for field).</summary>
public sealed record HterReportResponse(string Signature, string? Source, HterGroupResponse Overall,
    IReadOnlyList<HterGroupResponse> ByLanguagePair, IReadOnlyList<HterGroupResponse> ByPostEditor);

/// <summary>HTER of one group of rows; HTER is a fraction (0.25 = a quarter of the post-edit's words needed an edit) and may exceed 1.</summary>
public sealed record HterGroupResponse(string Name, int Rows, double MeanHter, double MedianHter, double CorpusHter, double UnchangedShare,
    long Insertions, long Deletions, long Substitutions, long Shifts, long RefWords,
    IReadOnlyList<HterBinResponse> Histogram, IReadOnlyList<HterRowResponse> HighestRows);

/// <summary>Histogram bin [From, To) of sentence HTER; the last bin also holds every HTER above it.</summary>
public sealed record HterBinResponse(double From, double To, int Rows);

/// <summary>A row among a group's highest HTER, with its word alignment (operation: match, substitution, insertion, deletion).</summary>
public sealed record HterRowResponse(string? Id, string? LanguagePair, string? PostEditor, string Translation, string PostEdit, double Hter,
    int Insertions, int Deletions, int Substitutions, int Shifts, int RefWords, IReadOnlyList<HterStepResponse> Alignment);

public sealed record HterStepResponse(string Operation, string? Hypothesis, string? Reference);

/// <summary>Compile-time JSON metadata of the HTER report, camelCase.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProjectHterResponse))]
public sealed partial class HterJsonContext : JsonSerializerContext;
