using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AyaQC.Core.Datasets;
using AyaQC.Core.Filtering;
using AyaQC.Filtering;
using AyaQC.Server.Assessment;
using AyaQC.Storage;
using AyaQC.Storage.Datasets;
using AyaQC.Storage.Filtering;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;

namespace AyaQC.Server.Jobs;

/// <summary>What a filter job does, fixed when it starts: the agreement model's options, the project whose votes it
/// reads (if any), and the size of an apply chunk.</summary>
public sealed record FilterJobOptions(string? ProjectId, TreeTrainer Trainer, int Folds, int Seed, int Iterations, double KeepPrecision,
    double DropPrecision, int ChunkSize)
{
    public AgreementOptions Agreement => new()
    {
        Trainer = Trainer, Folds = Folds, Seed = Seed, Iterations = Iterations, KeepPrecision = KeepPrecision, DropPrecision = DropPrecision,
    };

    /// <summary>Until training ends: the options and where labels and votes come from.</summary>
    public string Signature => $"{Agreement.Signature}|labels:dataset|crowd:{ProjectId ?? "none"}";

    /// <summary>What every decision carries: the trained model's signature (options, features, data hash) and its thresholds.</summary>
    public static string DecisionSignature(AgreementModel model) => string.Create(CultureInfo.InvariantCulture,
        $"{model.Card.Signature}|keep_at:{model.Thresholds.Keep:0.######}|drop_below:{model.Thresholds.Drop:0.######}");
}

/// <summary>
/// The Hangfire job that filters a dataset: trains the agreement model on the rows with a trusted label (stage
/// <c>train</c>; the model zip and card are stored on the job), then decides every row chunk by chunk (stage
/// <c>apply</c>). A chunk's decisions and the moved checkpoint commit together, so a run killed at any point resumes
/// with the stored model at the first undecided row. Training is deterministic for a seed, so a rerun of the train
/// stage gives the same model.
/// </summary>
public sealed class FilterRunner(FilterJobStore jobs, ProjectBoards boards, IOptions<JobsOptions> jobOptions, ILogger<FilterRunner> log)
{
    [AutomaticRetry(Attempts = 20, DelaysInSeconds = [2, 5, 10, 20, 30, 60, 60, 120, 120, 300])]
    public async Task RunAsync(string jobId, PerformContext? context, CancellationToken ct)
    {
        var runner = context?.BackgroundJob.Id is { } hangfireId ? $"hangfire:{hangfireId}" : $"run:{Guid.NewGuid():N}";
        var job = await Retry(() => jobs.GetAsync(jobId, ct), ct);
        if (job is null || job.IsFinished) return;
        if (!await Retry(() => jobs.ClaimAsync(jobId, runner, jobOptions.Value.StaleAfter, ct), ct))
        {
            if ((await jobs.GetAsync(jobId, ct)) is { CancelRequested: true, State: JobStates.Queued }) await jobs.CancelAsync(jobId, ct);
            return;
        }
        var options = JsonSerializer.Deserialize<FilterJobOptions>(job.OptionsJson, JsonSerializerOptions.Web)!;
        log.LogInformation("filter job {Job}: {Runner} runs, stage {Stage} from row {Seq}", jobId, runner, job.Stage, job.NextSeq);

        using var lost = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeat = BeatAsync(jobId, runner, lost);
        try
        {
            var crowd = await CrowdAsync(options.ProjectId, lost.Token);
            job = (await Retry(() => jobs.GetAsync(jobId, lost.Token), lost.Token))!;
            AgreementModel model;
            if (job.Stage == StoredFilterJob.Train)
            {
                var clock = Stopwatch.StartNew();
                var rows = new List<FeatureRow>();
                for (long from = 1; ;)
                {
                    var chunk = await Retry(() => jobs.ReadFeatureRowsAsync(job.DatasetId, from, 50_000, lost.Token), lost.Token);
                    if (chunk.Count == 0) break;
                    rows.AddRange(chunk.Where(r => Label(r) is not null));
                    from = chunk[^1].Seq + 1;
                }
                try { model = await Task.Run(() => AgreementTrainer.Train(Table(rows, crowd), options.Agreement), lost.Token); }
                catch (ArgumentException e)
                {
                    await Retry(() => jobs.FinishAsync(jobId, runner, JobStates.Failed, $"the model could not be trained: {e.Message}", lost.Token), lost.Token);
                    return;
                }
                using var zip = new MemoryStream();
                model.Save(zip);
                var card = JsonSerializer.Serialize(model.Card, CardJson.Options);
                if (!await Retry(() => jobs.SaveModelAsync(jobId, runner, Convert.ToBase64String(zip.ToArray()), card,
                        FilterJobOptions.DecisionSignature(model), clock.ElapsedMilliseconds, lost.Token), lost.Token)) return;
                log.LogInformation("filter job {Job}: trained {Trainer} on {Rows} labelled rows in {Ms} ms", jobId, model.Card.Trainer, rows.Count, clock.ElapsedMilliseconds);
            }
            else model = AgreementModel.Load(new MemoryStream(Convert.FromBase64String(job.ModelZip!)), jobId);

            var reasons = options.Agreement.Reasons;
            while (true)
            {
                job = await Retry(() => jobs.GetAsync(jobId, lost.Token), lost.Token);
                if (job is null || job.Runner != runner || job.State != JobStates.Running) return;
                if (job.CancelRequested)
                {
                    await jobs.FinishAsync(jobId, runner, JobStates.Cancelled, null, ct);
                    return;
                }
                var rows = await Retry(() => jobs.ReadFeatureRowsAsync(job.DatasetId, job.NextSeq, options.ChunkSize, lost.Token), lost.Token);
                if (rows.Count == 0)
                {
                    await Retry(() => jobs.FinishAsync(jobId, runner, JobStates.Succeeded, null, lost.Token), lost.Token);
                    log.LogInformation("filter job {Job} finished", jobId);
                    return;
                }
                var clock = Stopwatch.StartNew();
                var table = Table(rows, crowd);
                var decided = model.Decide(table.Align(model.Features), reasons);
                var decisions = new List<ModelDecision>(rows.Count);
                for (var i = 0; i < rows.Count; i++)
                {
                    var f = table.Values[i];
                    decisions.Add(new ModelDecision(rows[i].Seq, rows[i].RowId, Text(decided[i].Decision), Math.Round(decided[i].PGood, 6),
                        string.Join(ModelDecision.ReasonSeparator, decided[i].Reasons), Votes(table, f), Value(table, f, RowFeatures.BtChrF),
                        Value(table, f, RowFeatures.PostEditHter)));
                }
                var current = job;
                var committed = await Retry(() => jobs.CommitChunkAsync(current, runner, rows[^1].Seq + 1, decisions, clock.ElapsedMilliseconds, lost.Token), lost.Token);
                if (!committed) return; // another runner took the job over
            }
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            log.LogWarning("filter job {Job}: {Runner} lost its hold on the job and stopped", jobId, runner);
        }
        finally
        {
            await lost.CancelAsync();
            try { await heartbeat; } catch (OperationCanceledException) { }
        }
    }

    static string Text(Decision d) => d switch { Decision.Keep => Decisions.Keep, Decision.Drop => Decisions.Drop, _ => Decisions.Review };

    static double? Value(FeatureTable t, double?[] row, string feature) => t.ColumnIndex(feature) is var i and >= 0 ? row[i] : null;

    static int? Votes(FeatureTable t, double?[] row) => Value(t, row, RowFeatures.CrowdVotes) is { } v ? (int)v : null;

    static bool? Label(FeatureRow r) => r.Label switch { "good" => true, "bad" => false, _ => null };

    sealed record Crowd(Dictionary<string, List<RowVote>> Votes, Dictionary<string, string> References);

    async Task<Crowd> CrowdAsync(string? projectId, CancellationToken ct)
    {
        if (projectId is null) return new Crowd([], []);
        var board = await boards.GetAsync(projectId, ct) ?? throw new InvalidOperationException($"project '{projectId}' does not exist");
        var (votes, references) = await boards.RowSignalsAsync(board, ct);
        return new Crowd(votes, references);
    }

    /// <summary>The rows' features (Core's rules): votes from the project, back-translation results, flags, the accepted
    /// post-edit (the project's, else the dataset's post_edit column) and the dataset's numeric signals.</summary>
    static FeatureTable Table(IReadOnlyList<FeatureRow> rows, Crowd crowd) =>
        RowFeatures.Table(rows.Select(r => (new RowSignals(r.RowId)
        {
            Votes = crowd.Votes.GetValueOrDefault(r.RowId) ?? [],
            BackTranslationChrF = r.BtStatus == "done" ? r.ChrF : null,
            BackTranslationLengthRatio = r.BtStatus == "done" ? r.LengthRatio : null,
            Flags = r.BtStatus == "done" ? RowFlags.All.ToDictionary(f => f, f => (r.Flags ?? ",").Contains($",{f},", StringComparison.Ordinal)) : new Dictionary<string, bool>(),
            Translation = r.Translation,
            AcceptedPostEdit = crowd.References.GetValueOrDefault(r.RowId) ?? r.PostEdit,
            NumericSignals = r.SignalsJson is null ? new Dictionary<string, double?>()
                : (JsonSerializer.Deserialize<Dictionary<string, double>>(r.SignalsJson) ?? []).ToDictionary(p => p.Key, p => (double?)p.Value),
        }, Label(r))));

    async Task BeatAsync(string jobId, string runner, CancellationTokenSource lost)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(jobOptions.Value.HeartbeatSeconds));
        while (await timer.WaitForNextTickAsync(lost.Token))
        {
            try
            {
                if (!await jobs.HeartbeatAsync(jobId, runner, lost.Token)) { await lost.CancelAsync(); return; }
            }
            catch (Exception e) when (StorageFaults.IsUnavailable(e)) { }
        }
    }

    /// <summary>Retries while the database is unreachable, waiting 1, 2, 4 … 30 s between tries.</summary>
    async Task<T> Retry<T>(Func<Task<T>> action, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try { return await action(); }
            catch (Exception e) when (StorageFaults.IsUnavailable(e) && !ct.IsCancellationRequested)
            {
                log.LogWarning("database unavailable ({Reason}); retrying in {Delay} s", e.Message, delay.TotalSeconds);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
        }
    }

    async Task Retry(Func<Task> action, CancellationToken ct) => await Retry(async () => { await action(); return 0; }, ct);
}
