namespace AyaQC.Core.Metrics;

/// <summary>
/// Tokenisation options of TER, named and defaulted as in sacreBLEU 2.x (<c>TER(case_sensitive=False,
/// normalized=False, no_punct=False, asian_support=False)</c>).
/// </summary>
public sealed record TerOptions(
    bool CaseSensitive = false,
    bool Normalized = false,
    bool NoPunct = false,
    bool AsianSupport = false)
{
    public static TerOptions Default { get; } = new();

    /// <summary>sacreBLEU-style signature naming every option, so a score can be reproduced.</summary>
    public string Signature =>
        $"nrefs:1|case:{(CaseSensitive ? "mixed" : "lc")}|tok:tercom|norm:{YesNo(Normalized)}|punct:{YesNo(!NoPunct)}" +
        $"|asian:{YesNo(AsianSupport)}|version:{MetricVersion.Value}";

    static string YesNo(bool b) => b ? "yes" : "no";
}

/// <summary>The version tag every metric signature carries.</summary>
public static class MetricVersion
{
    public const string Value = "ayaqc-1";
}
