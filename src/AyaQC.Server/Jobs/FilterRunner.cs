using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AyaQC.Core.Datasets;
using AyaQC.Core.Filtering;
using AyaQC.Filtering;
using AyaQC.Grains;
using AyaQC.Storage;
using AyaQC.Storage.Assessment;
using AyaQC.Storage.Datasets;
using AyaQC.Storage.Filtering;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;

namespace AyaQC.Server.Jobs;

/// <summary>What a filter job does, fixed when it starts: the agreement model's options, the project whose votes it
/// reads (if any), and the size of an apply chunk.</summary>
public sealed record FilterJobOptions(string? ProjectId, TreeTrainer Trainer, int Folds, int Seed, int Iterations, double KeepPrecision,
    double DropPrecision, int ChunkSize, double? PostEditBadHter = null)
{
    /// <summary>Where training labels come from: a lead's override, the dataset's label, an accepted post-edit of the project.</summary>
    public TrainingLabelRule Labels => new(PostEditBadHter ?? TrainingLabelRule.DefaultBadHterAbove);

    public AgreementOptions Agreement => new()
    {
        Trainer = Trainer, Folds = Folds, Seed = Seed, Iterations = Iterations, KeepPrecision = KeepPrecision, DropPrecision = DropPrecision,
    };

    /// <summary>Until training ends: the options and where labels and votes come from.</summary>
    public string Signature => $"{Agreement.Signature}|{Labels.Signature}|crowd:{ProjectId ?? "none"}";

    /// <summary>What every decision carries: the trained model's signature (options, features, data hash) and its thresholds.</summary>
    public static string DecisionSignature(AgreementModel model) => string.Create(CultureInfo.InvariantCulture,
        $"{model.Card.Signature}|{model.Card.LabelRule ?? "labels:dataset"}|keep_at:{model.Thresholds.Keep:0.######}|drop_below:{model.Thresholds.Drop:0.######}");
}

/// <summary>
/// The Hangfire job that filters a dataset: trains the agreement model on the rows with a trusted label (stage
/// <c>train</c>; the model zip and card are stored on the job), then decides every row chunk by chunk (stage
/// <c>apply</c>). A chunk's decisions and the moved checkpoint commit together, so a run killed at any point resumes
/// with the stored model at the first undecided row. Training is deterministic for a seed, so a rerun of the train
/// stage gives the same model.
/// </summary>
public sealed class FilterRunner(FilterJobStore jobs, IGrainFactory grains, ProjectStore projects, IOptions<JobsOptions> jobOptions, ILogger<FilterRunner> log)
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
                var labels = await Retry(() => LabelsAsync(job.DatasetId, options, lost.Token), lost.Token);
                try { model = await Task.Run(() => labels.Train(Table(labels.Rows, crowd, labels.Of), ControlTable(crowd, options.Labels), options.Agreement), lost.Token); }
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
                log.LogInformation("filter job {Job}: trained {Trainer} on {Rows} labelled rows in {Ms} ms", jobId, model.Card.Trainer, labels.Rows.Count, clock.ElapsedMilliseconds);
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
                var table = Table(rows, crowd, _ => null);
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

    /// <summary>The labelled rows with each one's label and source, per the job's rule (Core's <see cref="TrainingLabelRule"/>).</summary>
    sealed record TrainingLabels(List<FeatureRow> Rows, Dictionary<long, (bool Label, string Source)> BySeq, TrainingLabelRule Rule)
    {
        public bool? Of(FeatureRow r) => BySeq.TryGetValue(r.Seq, out var l) ? l.Label : null;

        /// <summary>Trains on the dataset rows (held out in turn) and the answered control items (training part only, as
        /// the rule says) and records every source's counts on the card. When accepted post-edits gave labels,
        /// <c>pe_hter</c> is left out: on those rows it is the label itself, so the model would learn nothing it could use on other rows.</summary>
        public AgreementModel Train(FeatureTable table, FeatureTable controls, AgreementOptions options)
        {
            var fromPostEdits = BySeq.Values.Any(l => l.Source == LabelSources.PostEdit);
            if (fromPostEdits) table = table.Select(table.Columns.Where(c => c != RowFeatures.PostEditHter).ToList());
            var labels = BySeq.Values.Concat(controls.Labels.Select(l => (Label: l!.Value, Source: LabelSources.Control))).ToList();
            var counts = LabelSources.All.Select(s => new LabelSourceCount(s, labels.Count(l => l.Source == s && l.Label),
                labels.Count(l => l.Source == s && !l.Label))).ToList();
            var note = fromPostEdits ? $"|features-without:{RowFeatures.PostEditHter}" : "";
            return AgreementTrainer.Train(table, options, trainingOnly: controls).WithLabelSources(counts, Rule.Signature + note);
        }
    }

    /// <summary>The control items the project's assessors answered, labelled by the rule (their gold): crowd features from
    /// their counted votes; no back-translation, flag, post-edit or dataset signal, so those are missing.</summary>
    static FeatureTable ControlTable(Crowd crowd, TrainingLabelRule rule) =>
        RowFeatures.Table(crowd.Controls
            .Select(c => (Control: c, Label: rule.OfControl(c.Good, c.Votes.Count).Label))
            .Where(c => c.Label.HasValue)
            .Select(c => (new RowSignals($"control:{c.Control.GoldItemId}") { Votes = c.Control.Votes.Select(v => new RowVote(v.Good, v.Skill, v.Verified)).ToList() }, c.Label)));

    /// <summary>Reads every row and labels it: a lead's override, else the dataset's label, else the project's accepted
    /// post-edit (the latest accepted one per row) judged by the HTER stored with it — the one its reviewer saw and the
    /// HTER report counts (the project's TER options).</summary>
    async Task<TrainingLabels> LabelsAsync(string datasetId, FilterJobOptions options, CancellationToken ct)
    {
        var accepted = new Dictionary<string, double>(StringComparer.Ordinal);
        if (options.ProjectId is { } projectId)
            foreach (var e in await projects.PostEditsAsync(projectId, "accepted", ct)) accepted[e.RowId] = e.Hter / 100;
        var rule = options.Labels;
        var rows = new List<FeatureRow>();
        var bySeq = new Dictionary<long, (bool, string)>();
        for (long from = 1; ;)
        {
            var chunk = await jobs.ReadFeatureRowsAsync(datasetId, from, 50_000, ct);
            if (chunk.Count == 0) break;
            foreach (var r in chunk)
            {
                var hter = accepted.TryGetValue(r.RowId, out var h) ? h : (double?)null;
                if (rule.Of(r.ExpertDecision, r.Label, hter) is not ({ } label, { } source)) continue;
                rows.Add(r);
                bySeq[r.Seq] = (label, source);
            }
            from = chunk[^1].Seq + 1;
        }
        return new TrainingLabels(rows, bySeq, rule);
    }

    sealed record Crowd(Dictionary<string, List<RowVote>> Votes, Dictionary<string, string> References, List<ControlCrowdView> Controls);

    async Task<Crowd> CrowdAsync(string? projectId, CancellationToken ct)
    {
        if (projectId is null) return new Crowd([], [], []);
        var project = grains.GetGrain<IProjectGrain>(projectId);
        if (await project.GetAsync(DateTimeOffset.UtcNow) is null) throw new InvalidOperationException($"project '{projectId}' does not exist");
        var crowd = await project.CrowdAsync();
        return new Crowd(crowd.Votes.ToDictionary(v => v.Key, v => v.Value.Select(x => new RowVote(x.Good, x.Skill, x.Verified)).ToList(), StringComparer.Ordinal),
            crowd.References, crowd.Controls);
    }

    /// <summary>The rows' features (Core's rules): votes from the project, back-translation results, flags, the accepted
    /// post-edit (the project's, else the dataset's post_edit column) and the dataset's numeric signals.</summary>
    static FeatureTable Table(IReadOnlyList<FeatureRow> rows, Crowd crowd, Func<FeatureRow, bool?> label) =>
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
        }, label(r))));

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
