namespace AyaQC.Core.Datasets;

/// <summary>One dataset row as imported (DESIGN.md "Dataset rows"): the pair, its optional post-edit and trusted label,
/// numeric signals such as an MT model score, and every other column kept as a JSON object of metadata.</summary>
public sealed record DatasetRecord(
    string Id, string SourceLang, string TargetLang, string Source, string Translation, string? PostEdit, string? Label,
    IReadOnlyDictionary<string, double>? Signals, string? MetadataJson, int Line);

/// <summary>A problem in an imported file: the 1-based line where its record starts and the field it concerns.</summary>
public sealed record RowProblem(int Line, string Field, string Message)
{
    public override string ToString() => $"line {Line}, {Field}: {Message}";
}

/// <summary>A record read from a dataset file: either the row, or the problems that keep it out.</summary>
public readonly record struct ParsedRecord(DatasetRecord? Record, IReadOnlyList<RowProblem> Problems);
