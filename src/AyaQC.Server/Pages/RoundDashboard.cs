using AyaQC.Contracts;
using AyaQC.Reports.Charts;

namespace AyaQC.Server.Pages;

/// <summary>
/// The charts of a qualification round's dashboard, drawn from the same results the API returns
/// (<c>GET /api/v1/rounds/{id}/results</c>), so page and API give the same numbers.
/// </summary>
public static class RoundDashboard
{
    public const int LeaderboardSize = 25, HeatmapRows = 15;

    public static readonly IReadOnlyList<string> ChartNames = ["decisions", "leaderboard", "error-types", "early-stopping"];

    public static Chart? Chart(string name, RoundResultsResponse results) => name switch
    {
        "decisions" => Decisions(results),
        "leaderboard" => Leaderboard(results),
        "error-types" => ErrorTypes(results),
        "early-stopping" => EarlyStopping(results),
        _ => null,
    };

    public static Chart Decisions(RoundResultsResponse r) => Draw.Bars(
        $"Decisions — {r.Round.Name}", ["pass", "fail", "undecided", "decided early"],
        [r.Summary.Passed, r.Summary.Failed, r.Summary.Undecided, r.Summary.DecidedEarly], "assessors");

    /// <summary>The assessors ranked by the lower end of their Wilson interval (best first), as the pass rule reads it.</summary>
    /// <summary>An assessor has a measured accuracy only once they answered something (the results give 0 for none).</summary>
    public static bool Measured(AssessorResult a) => a.Answered > 0 && a.Accuracy is not null;

    public static IReadOnlyList<AssessorResult> Ranked(RoundResultsResponse r) => r.Assessors
        .Where(Measured)
        .OrderByDescending(a => a.WilsonLow ?? 0).ThenByDescending(a => a.Accuracy).ThenBy(a => a.Name, StringComparer.Ordinal)
        .ToList();

    public static Chart Leaderboard(RoundResultsResponse r)
    {
        var top = Ranked(r).Take(LeaderboardSize).Select(a => new LeaderboardEntry(
            a.Name, a.Accuracy!.Value, a.WilsonLow ?? 0, a.WilsonHigh ?? 1,
            a.Decision switch { "pass" => LeaderboardMark.Pass, "fail" => LeaderboardMark.Fail, _ => LeaderboardMark.Neutral })).ToList();
        return Draw.Leaderboard($"Leaderboard (top {top.Count} of {r.Assessors.Count}): accuracy, Wilson 95 % interval",
            top, "accuracy", r.Round.Policy.PassThreshold);
    }

    /// <summary>Share of bad items caught per gold error type, for the best-ranked assessors.</summary>
    public static Chart ErrorTypes(RoundResultsResponse r)
    {
        var rows = Ranked(r).Take(HeatmapRows).ToList();
        var types = r.Assessors.SelectMany(a => a.PerErrorType.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var values = new double[rows.Count, types.Count];
        for (var i = 0; i < rows.Count; i++)
            for (var j = 0; j < types.Count; j++)
                values[i, j] = rows[i].PerErrorType.TryGetValue(types[j], out var c) && c.Total > 0 ? (double)c.Correct / c.Total : double.NaN;
        return Draw.Heatmap($"Bad items caught per error type (top {rows.Count})", rows.Select(a => a.Name).ToList(), types, values);
    }

    /// <summary>Items answered and items the sequential test saved, over all assessors.</summary>
    public static Chart EarlyStopping(RoundResultsResponse r) => Draw.Bars(
        "Items answered and saved by early stopping", ["answered", "saved by early stopping"],
        [r.Summary.Answers, r.Summary.ItemsSaved], "items");
}
