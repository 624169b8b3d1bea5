using System.Globalization;
using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Filtering;
using AyaQC.Reports.Charts;

namespace AyaQC.Server.Pages;

/// <summary>
/// A filter job's model card as the API gives it (<c>GET /api/v1/jobs/{id}/card</c>: the stored card plus the job's
/// decisions), and its charts: ROC of the trees and of the baseline, calibration, decisions, importance, and the
/// crowd / machine / both comparison. Pages and <c>ayaqc report</c> draw from this.
/// </summary>
public sealed record ModelCardCharts(ModelCard Card, ModelCardDecisions? Decisions)
{
    public const int ImportanceBars = 15;

    public static readonly IReadOnlyList<string> ChartNames = ["roc", "calibration", "decisions", "importance", "auc-by-columns", "bad-caught"];

    /// <summary>Reads the API's answer (a card made before ROC points were kept has no "roc" or "calibration").</summary>
    public static ModelCardCharts FromApi(JsonElement response) => new(
        response.Deserialize<ModelCard>(CardJson.Options)!,
        response.TryGetProperty("decisions", out var d) ? d.Deserialize<ModelCardDecisions>(JsonSerializerOptions.Web) : null);

    /// <summary>The chart, or null when the name is unknown or the card lacks its numbers.</summary>
    public Chart? Chart(string name) => name switch
    {
        "roc" when Card.Roc is { Count: > 0 } curves => Draw.Roc("ROC on held-out rows (good = positive)", curves.Select(c =>
            new RocSeries(c.Kept ? $"{c.Model} (kept)" : c.Model, c.Auc,
                c.FalsePositiveRate.Select((f, i) => new RocPoint(f, c.TruePositiveRate[i])).ToList())).ToList()),
        "calibration" when Card.Calibration is { Count: > 0 } bins => Draw.Calibration("Calibration of the kept model, held out",
            bins.Select(b => new CalibrationPoint(b.MeanPredicted, b.ObservedGood, b.Rows)).ToList(), "observed share good"),
        "decisions" when Decisions is { } d => Draw.Bars(
            $"Decisions of this job ({d.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows)", ["keep", "drop", "review", "overridden by a lead"],
            [d.Keep, d.Drop, d.Review, d.Overridden], "rows"),
        "importance" => Draw.HorizontalBars("Permutation importance: AUC lost without the feature",
            Importance.Select(f => f.Feature).ToList(), Importance.Select(f => f.AucDrop).ToList(), "AUC drop"),
        "auc-by-columns" => Draw.Bars("Held-out AUC by column set", Groups.Select(g => g.Group).ToList(), Groups.Select(g => g.Metrics!.Auc).ToList(),
            "AUC", counts: false),
        "bad-caught" => Draw.Bars("Bad rows caught at the same kept share", Groups.Select(g => g.Group).ToList(),
            Groups.Select(g => g.BadCaughtAtSharedKeep ?? 0).ToList(), "share of bad rows", counts: false),
        _ => null,
    };

    IReadOnlyList<FeatureImportance> Importance => Card.Importance.OrderByDescending(f => f.AucDrop).Take(ImportanceBars).ToList();

    IReadOnlyList<GroupComparison> Groups => Card.Groups.Where(g => g.Metrics is not null).ToList();
}
