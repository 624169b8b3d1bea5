using AyaQC.Core.Qualification;

namespace AyaQC.Storage;

/// <summary>How values are written in our tables: times as Unix milliseconds, verdicts and decisions as text.</summary>
internal static class StoredValues
{
    public const char IdSeparator = '\n';

    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    public static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    public static long NowMs => Ms(DateTimeOffset.UtcNow);

    public static Verdict ParseVerdict(string s) => Verdicts.TryParse(s, out var v) ? v : throw new InvalidDataException($"stored verdict '{s}' is not good/bad");

    public static string? DecisionText(QualificationDecision? d) => d switch
    {
        QualificationDecision.Pass => "pass",
        QualificationDecision.Fail => "fail",
        _ => null,
    };

    public static QualificationDecision? ParseDecision(string? s) => s switch
    {
        "pass" => QualificationDecision.Pass,
        "fail" => QualificationDecision.Fail,
        _ => null,
    };
}
