using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AyaQC.Cli.Qualification;
using AyaQC.Client;
using AyaQC.Contracts;
using Spectre.Console;

namespace AyaQC.Cli.Filtering;

/// <summary>
/// <c>ayaqc filter run</c>: starts a filter job on the server (or follows one with <c>--job</c>), shows its progress —
/// a bar on a terminal, plain lines when output is redirected — then prints the decision counts and the model card's verdict.
/// </summary>
public static class FilterRunCommand
{
    public static Command Create()
    {
        var connection = new ServerConnection();
        var dataset = new Option<string?>("--dataset") { Description = "Dataset id (ds_...) to filter" };
        var project = new Option<string?>("--project") { Description = "Project whose votes, accepted post-edits and overrides the model reads (prj_...)" };
        var follow = new Option<string?>("--job") { Description = "Follow this filter job instead of starting one" };
        var trainer = new Option<string?>("--trainer") { Description = "lightgbm (default) or fasttree" };
        trainer.AcceptOnlyFromAmong("lightgbm", "fasttree");
        var folds = new Option<int?>("--folds") { Description = "Cross-validation folds (server default 5)" };
        var seed = new Option<int?>("--seed") { Description = "Seed (same seed, same model)" };
        var iterations = new Option<int?>("--iterations") { Description = "Boosting iterations (server default 100)" };
        var keep = new Option<double?>("--keep-precision") { Description = "Share of kept rows that must be good (server default 0.95)" };
        var drop = new Option<double?>("--drop-precision") { Description = "Share of dropped rows that must be bad (server default 0.9)" };
        var chunk = new Option<int?>("--chunk-size") { Description = "Rows decided per checkpoint (server default 2000)" };
        var badHter = new Option<double?>("--post-edit-bad-hter") { Description = "An accepted post-edit above this HTER (a fraction) labels its row bad; HTER 0 labels it good (server default 0.3)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the job id and return" };
        var command = new Command("run", "Run a filter job on the server (train the agreement model, decide every row) and follow it; Ctrl+C stops following, not the job");
        foreach (var o in new Option[] { dataset, project, follow, trainer, folds, seed, iterations, keep, drop, chunk, badHter, noWait }) command.Options.Add(o);
        connection.AddTo(command);
        command.Validators.Add(r =>
        {
            if ((r.GetValue(dataset) is null) == (r.GetValue(follow) is null)) r.AddError("give --dataset ID to start a filter job, or --job ID to follow one");
        });
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var client = connection.AdminClient(pr);
            var output = pr.InvocationConfiguration.Output;
            var plain = Console.IsOutputRedirected || output != Console.Out;
            JobResponse job;
            if (pr.GetValue(follow) is { } jobId) job = await client.GetJobAsync(jobId, ct);
            else
            {
                job = await client.StartFilterJobAsync(pr.GetValue(dataset)!, new StartFilterJobRequest(pr.GetValue(project), pr.GetValue(trainer),
                    pr.GetValue(folds), pr.GetValue(seed), pr.GetValue(iterations), pr.GetValue(keep), pr.GetValue(drop), pr.GetValue(chunk), pr.GetValue(badHter)), ct);
                output.WriteLine($"started filter job {job.Id} on dataset {job.DatasetId}; signature: {job.Signature}");
            }
            if (job.Kind != "filter") throw new CommandException($"job {job.Id} is a {job.Kind} job, not a filter job");
            if (pr.GetValue(noWait)) return;
            job = plain ? await FollowPlainAsync(client, job, output, ct) : await FollowAsync(client, job, ct);
            output.WriteLine($"job {job.Id} {job.State}: {job.RowsDone} of {job.RowsTotal} rows decided" + (job.Error is { } e ? $"; error: {e}" : ""));
            if (job.State != "succeeded") throw new CommandException($"filter job {job.Id} {job.State}");
            var counts = await client.CountDecisionsAsync(job.DatasetId, ct);
            output.WriteLine($"decisions: keep {counts.Keep}, review {counts.Review}, drop {counts.Drop} " +
                                  $"({counts.Overridden} by a lead's override, {counts.Undecided} undecided)");
            if (counts.Review > 0 && pr.GetValue(project) is { } p)
                output.WriteLine($"rows in review can get more votes: ayaqc filter send-back --project {p} --job {job.Id}");
            var card = await client.GetModelCardAsync(job.Id, ct);
            output.WriteLine(CardSummary(card));
            output.WriteLine($"card: GET /api/v1/jobs/{job.Id}/card · page /lead/filter-jobs/{job.Id} · kept rows: ayaqc export {job.DatasetId} --output kept.jsonl");
        }));
        return command;
    }

    /// <summary>Trainer, labels and held-out AUC, then the verdict in the card's own words.</summary>
    static string CardSummary(JsonElement card)
    {
        string S(string name) => card.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "?";
        string N(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.ToString() : "?";
        var heldOut = card.TryGetProperty("heldOut", out var h) ? h : default;
        var auc = heldOut.ValueKind == JsonValueKind.Object && heldOut.TryGetProperty("auc", out var a) && a.ValueKind == JsonValueKind.Number
            ? a.GetDouble().ToString("0.000", CultureInfo.InvariantCulture) : "?";
        return $"model: {S("trainer")} on {N(card, "labelledRows")} labelled rows ({N(card, "goodRows")} good, {N(card, "badRows")} bad); held-out AUC {auc}\n" +
               $"verdict: {S("verdict")}";
    }

    static bool Finished(JobResponse j) => j.State is "succeeded" or "failed" or "cancelled";

    static async Task<JobResponse> NextAsync(AyaQCClient client, JobResponse job, CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        try { return await client.GetJobAsync(job.Id, ct); }
        catch (AyaQCApiException e) when (e.Status == 503) { return job; } // the server's database is down for now: keep waiting
        catch (HttpRequestException) { return job; }
    }

    /// <summary>A bar for the apply stage; while the model trains the bar waits at 0 and says so.</summary>
    static async Task<JobResponse> FollowAsync(AyaQCClient client, JobResponse job, CancellationToken ct)
    {
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask(Markup.Escape(Describe(job)), maxValue: Math.Max(1, job.RowsTotal));
                while (true)
                {
                    bar.IsIndeterminate = job.Stage == "train" && job.State == "running";
                    bar.Value = job.RowsDone;
                    bar.Description = Markup.Escape(Describe(job));
                    if (Finished(job)) break;
                    job = await NextAsync(client, job, ct);
                }
            });
        return job;
    }

    /// <summary>Redirected output: a line when the state or stage changes and at every further tenth of the rows, no ANSI codes.</summary>
    static async Task<JobResponse> FollowPlainAsync(AyaQCClient client, JobResponse job, TextWriter output, CancellationToken ct)
    {
        string? last = null;
        var tenth = -1L;
        while (true)
        {
            var step = job.RowsTotal == 0 ? 10 : job.RowsDone * 10 / job.RowsTotal;
            var key = $"{job.State}/{job.Stage}";
            if (key != last || step != tenth) output.WriteLine(Describe(job));
            (last, tenth) = (key, step);
            if (Finished(job)) return job;
            job = await NextAsync(client, job, ct);
        }
    }

    static string Describe(JobResponse j) => j.Stage == "train" && !Finished(j)
        ? $"{j.Id} {j.State}: training the model"
        : $"{j.Id} {j.State} {j.Stage}: {j.RowsDone}/{j.RowsTotal} rows decided, {j.RowsPerSecond.ToString("0.0", CultureInfo.InvariantCulture)} rows/s" +
          (j.EtaSeconds is { } eta && j.State == "running" ? $", ETA {TimeSpan.FromSeconds(Math.Round(eta)):g}" : "");
}
