namespace AyaQC.Core.Crowd;

/// <summary>The aggregation methods by their short names, with default options.</summary>
public static class CrowdMethods
{
    public static readonly IReadOnlyList<string> Names = ["mv", "wawa", "ds", "onecoin", "glad", "mace"];

    public static ICrowdAggregator Create(string name, TieRule ties = TieRule.TaskHash) => name.ToLowerInvariant() switch
    {
        "mv" or "majority" or "majorityvote" => new MajorityVote { Ties = ties },
        "wawa" => new Wawa { Ties = ties },
        "ds" or "dawidskene" or "dawid-skene" => new DawidSkene { Ties = ties },
        "onecoin" or "onecoinds" or "one-coin" => new OneCoinDawidSkene { Ties = ties },
        "glad" => new Glad { Ties = ties },
        "mace" => new Mace { Ties = ties },
        _ => throw new ArgumentException($"unknown aggregation method '{name}'; expected one of: {string.Join(", ", Names)}"),
    };
}
