using System.Globalization;
using System.Text;
using AyaQC.Contracts;
using AyaQC.Core.Datasets;
using AyaQC.Reports.Charts;
using AyaQC.Server.Apis;
using AyaQC.Storage.Datasets;
using AyaQC.Storage.Filtering;
using Microsoft.AspNetCore.Http.HttpResults;
using static AyaQC.Server.Pages.PageLayout;

namespace AyaQC.Server.Pages;

/// <summary>
/// Project-lead pages for datasets (admin role): the list, and a dataset's page — its jobs with progress
/// (back-translation and filter), and the latest back-translation: chrF++ histogram, flagged rows by reason, and the
/// flagged rows with source, translation and back-translation side by side. Read through the datasets and jobs
/// API handlers, so the page and the API give the same numbers.
/// </summary>
public static class DatasetPages
{
    const int FlaggedRowsShown = 50, PageSize = 1000;

    public static void MapDatasetPages(this WebApplication app)
    {
        var pages = app.MapGroup("/lead/datasets").RequireAuthorization(PagesSetup.AdminPolicy).ExcludeFromDescription();
        pages.MapGet("", Datasets);
        pages.MapGet("/{id}", Dataset);
    }

    static async Task<IResult> Datasets(HttpContext http, DatasetStore store, CancellationToken ct)
    {
        var t = PageText.For(http);
        var datasets = (await DatasetsApi.ListDatasets(store, ct)).Value!;
        var body = new StringBuilder("<h1>Datasets</h1>");
        if (datasets.Count == 0) body.Append("<p>No datasets yet. Import one with <code>POST /api/v1/datasets</code> or <code>ayaqc datasets import</code>.</p>");
        else
        {
            body.Append("<div class=\"scroll\"><table><tr><th>dataset</th><th>format</th><th>rows</th><th>labelled</th><th>imported</th></tr>");
            foreach (var d in datasets.OrderByDescending(d => d.CreatedAt))
                body.Append("<tr><td><a href=\"/lead/datasets/").Append(H(Uri.EscapeDataString(d.Id))).Append("\">").Append(H(d.Name)).Append("</a></td><td>")
                    .Append(H(d.Format)).Append(CultureInfo.InvariantCulture, $"</td><td class=\"num\">{d.Rows}</td><td class=\"num\">{d.LabelledRows}</td><td>")
                    .Append(d.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC</td></tr>");
            body.Append("</table></div>");
        }
        body.Append("<p class=\"api\">API: <a href=\"/api/v1/datasets\"><code>GET /api/v1/datasets</code></a></p>");
        return Page(http, t, "Datasets", body.ToString());
    }

    static async Task<IResult> Dataset(string id, HttpContext http, DatasetStore store, BackTranslationJobStore jobs, FilterJobStore filters, CancellationToken ct)
    {
        var t = PageText.For(http);
        if ((await DatasetsApi.GetDataset(id, store, ct)).Result is not Ok<DatasetResponse> { Value: { } dataset })
            return Page(http, t, "Not found", $"<h1>Dataset not found</h1><p class=\"notice\">dataset '{H(id)}' does not exist</p>", 404);
        var backTranslations = ((Ok<List<JobResponse>>)(await JobsApi.ListBackTranslations(id, store, jobs, ct)).Result).Value!;
        var filterJobs = ((Ok<List<JobResponse>>)(await JobsApi.ListFilterJobs(id, store, filters, ct)).Result).Value!;
        var latest = LatestBackTranslation(backTranslations);
        var rows = new List<DatasetRowResponse>();
        for (string? cursor = null; latest is not null;)
        {
            var page = ((Ok<DatasetRowsPage>)(await DatasetsApi.GetRows(id, cursor, PageSize, null, null, null, null, latest.Id, store, ct)).Result).Value!;
            rows.AddRange(page.Rows.Where(r => r.Result is not null));
            if ((cursor = page.NextCursor) is null) break;
        }
        return Page(http, t, dataset.Name, Body(dataset, backTranslations, filterJobs, rows));
    }

    /// <summary>The back-translation the page describes: the latest that has done any row.</summary>
    public static JobResponse? LatestBackTranslation(IEnumerable<JobResponse> backTranslations) =>
        backTranslations.Where(j => j.RowsDone > 0).OrderByDescending(j => j.CreatedAt).FirstOrDefault();

    /// <summary>The page's markup from the API's answers: the dataset, its jobs, and the rows of
    /// <see cref="LatestBackTranslation"/> that have its result. Public for <c>ayaqc report</c>.</summary>
    public static string Body(DatasetResponse dataset, IReadOnlyList<JobResponse> backTranslations, IReadOnlyList<JobResponse> filterJobs,
        IReadOnlyList<DatasetRowResponse> latestRows)
    {
        var id = dataset.Id;
        var idPath = Uri.EscapeDataString(id);
        var body = new StringBuilder(32 * 1024);
        body.Append("<h1>").Append(H(dataset.Name)).Append("</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>{dataset.Rows} rows · {dataset.LabelledRows} with a trusted label · {H(dataset.Format)}</p>")
            .Append("<h2>Jobs</h2>");
        var all = backTranslations.Concat(filterJobs).OrderByDescending(j => j.CreatedAt).ToList();
        if (all.Count == 0) body.Append("<p>No jobs yet: <code>POST /api/v1/datasets/").Append(H(id)).Append("/backtranslations</code> starts one.</p>");
        else
        {
            body.Append("<div class=\"scroll\"><table><tr><th>job</th><th>kind</th><th>state</th><th>progress</th><th>failed rows</th><th>rows/s</th><th>ETA</th><th>signature</th></tr>");
            foreach (var j in all)
                body.Append("<tr><td><a href=\"").Append(j.Kind == "filter" ? "/lead/filter-jobs/" : "/api/v1/jobs/").Append(H(Uri.EscapeDataString(j.Id)))
                    .Append("\"><code>").Append(H(j.Id)).Append("</code></a></td><td>")
                    .Append(H(j.Kind)).Append(j.Stage is { } stage ? " (" + H(stage) + ")" : "").Append("</td><td>").Append(H(j.State)).Append("</td><td>")
                    .Append(CultureInfo.InvariantCulture, $"<progress max=\"{Math.Max(1, j.RowsTotal)}\" value=\"{j.RowsDone}\" aria-label=\"rows done\"></progress> {j.RowsDone} / {j.RowsTotal}")
                    .Append(CultureInfo.InvariantCulture, $"</td><td class=\"num\">{j.RowsFailed}</td><td class=\"num\">{j.RowsPerSecond:0.0}</td><td class=\"num\">")
                    .Append(j.EtaSeconds is { } eta ? TimeSpan.FromSeconds(Math.Round(eta)).ToString("c", CultureInfo.InvariantCulture) : "–")
                    .Append("</td><td><code>").Append(H(j.Signature)).Append("</code></td></tr>");
            body.Append("</table></div>");
        }
        body.Append("<p class=\"api\">API: <a href=\"/api/v1/datasets/").Append(H(idPath)).Append("/backtranslations\"><code>GET /api/v1/datasets/").Append(H(id))
            .Append("/backtranslations</code></a>, <a href=\"/api/v1/datasets/").Append(H(idPath)).Append("/filter-jobs\"><code>…/filter-jobs</code></a>, <code>GET /api/v1/jobs/{id}</code></p>");

        if (LatestBackTranslation(backTranslations) is { } latest)
            body.Append(BackTranslationBody(id, latest, latestRows));
        return body.ToString();
    }

    /// <summary>The latest back-translation's charts and flagged rows, from every row's result in that job.</summary>
    static string BackTranslationBody(string id, JobResponse job, IReadOnlyList<DatasetRowResponse> rows)
    {
        var chrF = rows.Select(r => r.Result!.ChrF).OfType<double>().ToList();
        var flagged = rows.Where(r => r.Result!.Flags.Count > 0).ToList();
        var byFlag = RowFlags.All.Select(f => (Flag: f, Count: flagged.Count(r => r.Result!.Flags.Any(x => x.Flag == f)))).ToList();
        var body = new StringBuilder();
        body.Append("<h2>Back-translation</h2>")
            .Append(CultureInfo.InvariantCulture, $"<p>Job <code>{H(job.Id)}</code> ({H(job.State)}): {rows.Count} rows back-translated, {flagged.Count} flagged, ")
            .Append(CultureInfo.InvariantCulture, $"{rows.Count(r => r.Result!.Status == "failed")} failed; mean chrF++ {(chrF.Count == 0 ? "–" : chrF.Average().ToString("0.0", CultureInfo.InvariantCulture))}.</p>")
            .Append("<div class=\"charts\"><figure>")
            .Append(Draw.Histogram("chrF++ of source vs back-translation", HistogramBin.Of(chrF, 20, 0, 100), "chrF++").Svg())
            .Append("</figure><figure>")
            .Append(Draw.Bars("Flagged rows by reason", byFlag.Select(f => f.Flag.Replace('_', ' ')).ToList(), byFlag.Select(f => (double)f.Count).ToList(), "rows").Svg())
            .Append("</figure></div>");
        if (flagged.Count > 0)
        {
            body.Append("<h3>Flagged rows</h3>");
            if (flagged.Count > FlaggedRowsShown)
                body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">The {FlaggedRowsShown} lowest by chrF++ of {flagged.Count}; the API lists every one (<code>?flagged=true</code>).</p>");
            body.Append("<div class=\"scroll\"><table><tr><th>row</th><th>source</th><th>translation</th><th>back-translation</th><th>chrF++</th><th>why</th></tr>");
            foreach (var r in flagged.OrderBy(r => r.Result!.ChrF ?? 0).Take(FlaggedRowsShown))
                body.Append("<tr><td><code>").Append(H(r.Id)).Append("</code></td><td lang=\"en\">").Append(H(r.Source)).Append("</td><td lang=\"sw\">").Append(H(r.Translation))
                    .Append("</td><td lang=\"en\">").Append(H(r.Result!.BackTranslation)).Append("</td><td class=\"num\">")
                    .Append(r.Result.ChrF is { } c ? c.ToString("0.0", CultureInfo.InvariantCulture) : "–").Append("</td><td>")
                    .Append(string.Join("<br>", r.Result.Flags.Select(f => H(f.Flag.Replace('_', ' ')) + ": " + H(f.Reason)))).Append("</td></tr>");
            body.Append("</table></div>");
        }
        body.Append("<p class=\"api\">Same rows: <a href=\"/api/v1/datasets/").Append(H(Uri.EscapeDataString(id))).Append("/rows?flagged=true&amp;jobId=")
            .Append(H(Uri.EscapeDataString(job.Id))).Append("\"><code>GET /api/v1/datasets/").Append(H(id)).Append("/rows?flagged=true&amp;jobId=").Append(H(job.Id))
            .Append("</code></a> · signature <code>").Append(H(job.Signature)).Append("</code></p>");
        return body.ToString();
    }
}
