using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Reports.Charts;
using AyaQC.Server.Apis;
using AyaQC.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Pages;

/// <summary>
/// What an assessment project's dashboard shows, read through the same handlers and board the API uses
/// (<c>GET /api/v1/projects/{id}</c>, <c>/assessors</c>, <c>/suspensions</c>, <c>/labels</c>, <c>/agreement</c>),
/// and its charts.
/// </summary>
public sealed record ProjectDashboard(
    ProjectResponse Project, IReadOnlyList<ProjectAssessorResponse> Assessors, IReadOnlyList<SuspensionEventResponse> Suspensions,
    IReadOnlyList<int> VotesPerRow, int AcceptedRows, double? Alpha, string LabelSignature, IReadOnlyList<AgreementPoint> Agreement,
    double PricePerVote)
{
    public const int LeaderboardSize = 25, AgreementPoints = 20;
    public const double DefaultPricePerVote = 0.05;

    public static readonly IReadOnlyList<string> ChartNames = ["progress", "votes-per-row", "agreement", "control-accuracy"];

    /// <summary>Every vote paid (controls included) over the rows labelled good; null before any row is.</summary>
    public double? CostPerAcceptedRow => AcceptedRows == 0 ? null : Project.Votes * PricePerVote / AcceptedRows;

    public double VotesPerRowMean => VotesPerRow.Count == 0 ? 0 : VotesPerRow.Average();

    /// <summary>Reads what the dashboard shows; with <paramref name="onlyChart"/> only what that chart needs (a PNG
    /// download draws one chart and should not pay for the others' numbers).</summary>
    public static async Task<ProjectDashboard?> LoadAsync(string id, ProjectServices s, double pricePerVote, CancellationToken ct, string? onlyChart = null)
    {
        bool Needs(params string[] charts) => onlyChart is null || charts.Contains(onlyChart);
        if ((await ProjectsApi.GetProject(id, s, ct)).Result is not Ok<ProjectResponse> { Value: { } project })
            return null;
        var grain = s.Project(id);
        var assessors = Needs("control-accuracy") && (await ProjectsApi.ListAssessors(id, s, ct)).Result is Ok<List<ProjectAssessorResponse>> { Value: { } a } ? a : [];
        var suspensions = onlyChart is null && (await ProjectsApi.ListSuspensions(id, s, ct)).Result is Ok<List<SuspensionEventResponse>> { Value: { } e } ? e : [];
        var labels = Needs("progress", "votes-per-row") ? await grain.LabelsAsync(project.Method, 0, int.MaxValue) : null;
        var rows = labels?.Rows ?? [];
        var agreement = Needs("agreement") ? (await grain.AgreementAsync(AgreementPoints)).Select(x => new AgreementPoint(x.Votes, x.Alpha)).ToList() : [];
        return new ProjectDashboard(project, assessors, suspensions, rows.Select(t => t.Votes).ToList(), rows.Count(t => t.Label == "good"),
            labels is not null && double.IsFinite(labels.Alpha) ? labels.Alpha : null, labels?.Signature ?? "", agreement, pricePerVote);
    }

    public Chart? Chart(string name) => name switch
    {
        "progress" => Progress(),
        "votes-per-row" => VotesPerRowChart(),
        "agreement" => AgreementChart(),
        "control-accuracy" => ControlAccuracy(),
        _ => null,
    };

    Chart Progress()
    {
        var started = VotesPerRow.Count - Project.FinishedRows;
        return Draw.Bars($"Rows — {Project.Name}", ["finished", "with votes, not finished", "no votes yet"],
            [Project.FinishedRows, Math.Max(0, started), Math.Max(0, Project.Rows - VotesPerRow.Count)], "rows");
    }

    Chart VotesPerRowChart()
    {
        var max = VotesPerRow.Count == 0 ? 1 : VotesPerRow.Max();
        // One bin per vote count: [k − 0.5, k + 0.5).
        var bins = Enumerable.Range(0, max + 1).Select(k => new HistogramBin(k - 0.5, k + 0.5, VotesPerRow.Count(v => v == k))).ToList();
        bins[0] = bins[0] with { Count = Math.Max(0, Project.Rows - VotesPerRow.Count) };
        return Draw.Histogram($"Valid votes per row (mean {VotesPerRowMean:0.00})", bins, "votes on the row");
    }

    Chart AgreementChart() => Draw.Line("Agreement as votes came in: Krippendorff's α",
        [new LineSeries("α", Agreement.Select(p => (double)p.Votes).ToList(), Agreement.Select(p => p.Alpha).ToList())],
        "row votes", "α", yRange: (Math.Min(0, Agreement.Count == 0 ? 0 : Agreement.Min(p => p.Alpha)), 1));

    /// <summary>Assessors with controls, by the lower end of the Wilson interval of their control accuracy; suspended ones marked.</summary>
    public IReadOnlyList<ProjectAssessorResponse> RankedByControls() => Assessors.Where(a => a.Controls > 0)
        .OrderByDescending(a => WilsonInterval.Compute(a.ControlsRight, a.Controls).Low).ThenBy(a => a.AssessorId, StringComparer.Ordinal).ToList();

    Chart ControlAccuracy()
    {
        var ranked = RankedByControls();
        var entries = ranked.Take(LeaderboardSize).Select(a =>
        {
            var (low, high) = WilsonInterval.Compute(a.ControlsRight, a.Controls);
            return new LeaderboardEntry(a.AssessorId, a.ControlsRight / (double)a.Controls, low, high, a.Suspended ? LeaderboardMark.Fail : LeaderboardMark.Neutral);
        }).ToList();
        return Draw.Leaderboard($"Control accuracy (top {entries.Count} of {ranked.Count}), Wilson 95 %; red = suspended", entries, "control accuracy");
    }
}
