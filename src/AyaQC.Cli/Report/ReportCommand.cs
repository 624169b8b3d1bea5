using System.CommandLine;
using System.Globalization;
using System.Text;
using AyaQC.Cli.Qualification;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Pages;

namespace AyaQC.Cli.Report;

/// <summary>
/// <c>ayaqc report (--round ID | --project ID | --dataset ID) --output report.html</c>: one static HTML file with the
/// dashboard of a qualification round, an assessment project or a dataset (with its latest model card), read from a
/// running server through the typed client and drawn with the pages' own markup and charts; it opens offline.
/// </summary>
public static class ReportCommand
{
    const int PageSize = 1000;

    public static Command Create()
    {
        var connection = new ServerConnection();
        var round = new Option<string?>("--round") { Description = "A qualification round's id (rnd_...)" };
        var project = new Option<string?>("--project") { Description = "An assessment project's id (prj_...)" };
        var dataset = new Option<string?>("--dataset") { Description = "A dataset's id (ds_...): its jobs, back-translation and latest model card" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "HTML file to write", Required = true };
        var price = new Option<double>("--price") { Description = "Price per vote for a project's cost per accepted row", DefaultValueFactory = _ => ProjectDashboard.DefaultPricePerVote };
        var command = new Command("report", "Write one static HTML report (charts inline, no network needed to read it) for a round, a project or a dataset");
        foreach (var o in new Option[] { round, project, dataset, output, price }) command.Options.Add(o);
        connection.AddTo(command);
        command.Validators.Add(r =>
        {
            var given = new[] { r.GetValue(round), r.GetValue(project), r.GetValue(dataset) }.Count(v => v is not null);
            if (given != 1) r.AddError("give exactly one of --round, --project or --dataset");
        });
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var server = connection.ServerUri(pr);
            var client = connection.AdminClient(pr);
            if (pr.GetValue(price) is var perVote && (!double.IsFinite(perVote) || perVote < 0)) throw new CommandException("--price must be a number ≥ 0");
            var (title, body) = pr.GetValue(round) is { } r ? await RoundAsync(client, r, ct)
                : pr.GetValue(project) is { } p ? await ProjectAsync(client, p, perVote, ct)
                : await DatasetAsync(client, pr.GetValue(dataset)!, ct);
            var html = StaticReportPage.Document(title, body, server, DateTimeOffset.UtcNow);
            var file = pr.GetValue(output)!;
            await File.WriteAllTextAsync(file.FullName, html, new UTF8Encoding(false), ct);
            var charts = html.Split("<svg").Length - 1;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {file.FullName} ({html.Length / 1024.0:0} KB, {charts} charts)"));
        }));
        return command;
    }

    static async Task<(string, string)> RoundAsync(AyaQCClient client, string id, CancellationToken ct)
    {
        var results = await client.GetResultsAsync(id, ct: ct);
        return (results.Round.Name, LeadPages.RoundBody(results));
    }

    static async Task<(string, string)> ProjectAsync(AyaQCClient client, string id, double pricePerVote, CancellationToken ct)
    {
        var project = await client.GetProjectAsync(id, ct);
        var assessors = await client.ProjectAssessorsAsync(id, ct);
        var suspensions = await client.SuspensionsAsync(id, ct);
        var labels = new List<RowLabelResponse>();
        LabelsPage page;
        string? cursor = null;
        do
        {
            page = await client.LabelsAsync(id, cursor: cursor, limit: PageSize, ct: ct);
            labels.AddRange(page.Rows);
        } while ((cursor = page.NextCursor) is not null);
        var agreement = await client.AgreementAsync(id, ProjectDashboard.AgreementPoints, ct);
        var dashboard = new ProjectDashboard(project, assessors, suspensions, labels.Select(l => l.Votes).ToList(), labels.Count(l => l.Label == "good"),
            page.KrippendorffAlpha, page.Signature, agreement.Points, pricePerVote);
        return (project.Name, ProjectPages.Body(dashboard));
    }

    static async Task<(string, string)> DatasetAsync(AyaQCClient client, string id, CancellationToken ct)
    {
        var dataset = await client.GetDatasetAsync(id, ct);
        var backTranslations = await client.ListBackTranslationsAsync(id, ct);
        var filterJobs = await client.ListFilterJobsAsync(id, ct);
        var rows = new List<DatasetRowResponse>();
        if (DatasetPages.LatestBackTranslation(backTranslations) is { } latest)
            for (string? cursor = null; ;)
            {
                var page = await client.GetDatasetRowsAsync(id, cursor, PageSize, jobId: latest.Id, ct: ct);
                rows.AddRange(page.Rows.Where(r => r.Result is not null));
                if ((cursor = page.NextCursor) is null) break;
            }
        var body = new StringBuilder(DatasetPages.Body(dataset, backTranslations, filterJobs, rows));
        if (filterJobs.Where(j => j.State == "succeeded").OrderByDescending(j => j.CreatedAt).FirstOrDefault() is { } filter)
        {
            var card = ModelCardCharts.FromApi(await client.GetModelCardAsync(filter.Id, ct));
            // The card page's headings, one level down inside the dataset's report.
            body.Append("<section><h2>Model card of filter job <code>").Append(PageLayout.H(filter.Id)).Append("</code></h2>")
                .Append(ModelCardPage.Body(filter.Id, card).Replace("<h2>", "<h3>").Replace("</h2>", "</h3>").Replace("<h1>Agreement model card</h1>", ""))
                .Append("</section>");
        }
        return (dataset.Name, body.ToString());
    }
}
