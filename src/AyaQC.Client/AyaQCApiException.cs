using AyaQC.Contracts;

namespace AyaQC.Client;

/// <summary>An RFC 9457 problem returned by the server.</summary>
public sealed class AyaQCApiException(int status, string? title, string? detail, IReadOnlyList<FieldProblem> errors)
    : Exception($"HTTP {status}: {title}{(detail is null ? "" : " — " + detail)}{FormatErrors(errors)}")
{
    public int Status { get; } = status;
    public string? Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyList<FieldProblem> Errors { get; } = errors;

    static string FormatErrors(IReadOnlyList<FieldProblem> errors) =>
        errors.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine,
            errors.Take(20).Select(e => $"  {(e.Line is { } l ? $"line {l}, " : "")}{e.Field}: {e.Message}"));
}
