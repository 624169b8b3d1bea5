using System.CommandLine;
using System.Globalization;
using AyaQC.Cli.Qualification;
using AyaQC.Client;
using AyaQC.Contracts;
using Spectre.Console;

namespace AyaQC.Cli.Datasets;

/// <summary><c>ayaqc datasets backtranslate</c>: starts a back-translation job on the server (or follows one) with a
/// progress bar; <c>ayaqc datasets cancel</c> stops one.</summary>
static class BackTranslateJobCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("dataset") { Description = "Dataset id (ds_...) to back-translate", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<string?>("--job") { Description = "Follow this running job instead of starting one" };
        var batch = new Option<int?>("--batch-size") { Description = "Rows per model batch (server default 32); the job checkpoints every Jobs:BatchesPerChunk (8) batches" };
        var beams = new Option<int?>("--beams") { Description = "Beam size (default: the model's)" };
        var queue = new Option<string?>("--queue") { Description = "gpu (default) or default" };
        var minChrF = new Option<double?>("--min-chrf") { Description = "chrF++ below which a row is flagged low_similarity (default 35)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the job id (alone on stdout) and return" };
        return ServerConnection.AdminCommand("backtranslate", "Back-translate a dataset in a server job and follow its progress (Ctrl+C stops following, not the job)",
            async (pr, client, ct) =>
            {
                JobResponse job;
                if (pr.GetValue(follow) is { } jobId) job = await FirstLookAsync(client, jobId, ct);
                else if (pr.GetValue(id) is { } datasetId)
                {
                    var thresholds = pr.GetValue(minChrF) is { } m ? new FlagThresholds(MinChrF: m) : null;
                    job = await client.StartBackTranslationAsync(datasetId,
                        new StartBackTranslationRequest(pr.GetValue(batch), pr.GetValue(beams), pr.GetValue(queue), thresholds), ct);
                    var started = $"started job {job.Id} on queue {job.Queue}; signature: {job.Signature}";
                    if (pr.GetValue(noWait))
                    {
                        // The id alone on stdout, for job=$(ayaqc datasets backtranslate ds_... --no-wait).
                        Console.Error.WriteLine(started);
                        Console.Out.WriteLine(job.Id);
                        return;
                    }
                    AnsiConsole.MarkupLine($"started job [bold]{job.Id}[/] on queue {job.Queue}; signature: {Markup.Escape(job.Signature)}");
                }
                else throw new Qualification.CommandException("give a dataset id to start a job, or --job JOB to follow one");
                if (pr.GetValue(noWait)) return;
                job = await FollowAsync(client, job, ct);
                AnsiConsole.MarkupLine($"job {job.Id} {job.State}: {job.RowsDone} rows done, {job.RowsFailed} failed of {job.RowsTotal}; " +
                                       $"{job.RowsPerSecond.ToString("0.0", CultureInfo.InvariantCulture)} rows/s on {job.Device ?? "?"}" +
                                       (job.DeviceNote is { } note ? $" ({Markup.Escape(note)})" : "") + (job.Error is { } e ? $"; error: {Markup.Escape(e)}" : "") +
                                       (job.Attempts > 1 ? $"; it ran {job.Attempts} times, each run resuming at the last checkpoint" : ""));
                AnsiConsole.MarkupLine($"rows: ayaqc datasets rows {job.DatasetId} --flagged true   |   failed: ayaqc datasets rows {job.DatasetId} --failed true");
                if (job.State != "succeeded") throw new Qualification.CommandException($"job {job.Id} {job.State}");
            }, id, follow, batch, beams, queue, minChrF, noWait);
    }

    /// <summary>A server that is starting (after a crash, say) gets half a minute to answer before we give up.</summary>
    static async Task<JobResponse> FirstLookAsync(AyaQCClient client, string jobId, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var said = false; ; said = true)
        {
            try { return await client.GetJobAsync(jobId, ct); }
            catch (Exception e) when ((e is HttpRequestException || e is AyaQCApiException { Status: 503 }) && DateTime.UtcNow < deadline)
            {
                if (!said) Console.Error.WriteLine("server unreachable, waiting up to 30 s…");
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    static async Task<JobResponse> FollowAsync(AyaQCClient client, JobResponse job, CancellationToken ct)
    {
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask(Describe(job), maxValue: Math.Max(1, job.RowsTotal));
                while (true)
                {
                    bar.Value = job.RowsDone + job.RowsFailed;
                    bar.Description = Describe(job);
                    if (job.State is "succeeded" or "failed" or "cancelled") break;
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                    try { job = await client.GetJobAsync(job.Id, ct); }
                    catch (AyaQCApiException e) when (e.Status == 503) { } // the server's database is down for now: keep waiting
                    catch (HttpRequestException) { bar.Description = $"{job.Id}: server unreachable, waiting…"; }
                }
            });
        return job;
    }

    static string Describe(JobResponse j) =>
        $"{j.State} {j.RowsDone + j.RowsFailed}/{j.RowsTotal} rows ({j.RowsFailed} failed), " +
        $"{j.RowsPerSecond.ToString("0.0", CultureInfo.InvariantCulture)} rows/s" +
        (j.EtaSeconds is { } eta && j.State == "running" ? $", ETA {TimeSpan.FromSeconds(Math.Round(eta)):g}" : "");

    public static Command Cancel()
    {
        var job = new Argument<string>("job") { Description = "Job id (job_...)" };
        return ServerConnection.AdminCommand("cancel", "Cancel a back-translation job (a running one stops after its current chunk)", async (pr, client, ct) =>
        {
            var j = await client.CancelJobAsync(pr.GetValue(job)!, ct);
            AnsiConsole.MarkupLine($"job {j.Id}: {j.State}{(j.State == "running" ? " (stops after its current chunk)" : "")}");
        }, job);
    }
}
