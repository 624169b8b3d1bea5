using System.Diagnostics;
using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Core.Datasets;
using AyaQC.Storage;
using AyaQC.Storage.Datasets;
using AyaQC.Translation;
using AyaQC.Translation.Decoding;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;

namespace AyaQC.Server.Jobs;

/// <summary>
/// The Hangfire job that back-translates a dataset. It works one chunk (<c>Jobs:BatchesPerChunk</c> batches of rows) at a
/// time from the job's checkpoint; a chunk's results and the moved checkpoint commit together, so a run killed at any point resumes at the
/// first row without a result and no row is written twice. A row that cannot be processed fails alone, with its reason.
/// </summary>
public sealed class BackTranslationRunner(BackTranslationJobStore jobs, TranslatorHolder model, IOptions<JobsOptions> jobOptions,
    ILogger<BackTranslationRunner> log)
{
    /// <summary>Hangfire retries a run the database broke off, with growing delays; each retry resumes from the checkpoint.</summary>
    [AutomaticRetry(Attempts = 20, DelaysInSeconds = [2, 5, 10, 20, 30, 60, 60, 120, 120, 300])]
    public async Task RunAsync(string jobId, PerformContext? context, CancellationToken ct)
    {
        var runner = context?.BackgroundJob.Id is { } hangfireId ? $"hangfire:{hangfireId}" : $"run:{Guid.NewGuid():N}";
        var job = await WithRetryAsync(() => jobs.GetAsync(jobId, ct), ct);
        if (job is null || job.IsFinished) return;
        var options = JsonSerializer.Deserialize<BackTranslationJobOptions>(job.OptionsJson, JsonSerializerOptions.Web)!;
        var stale = jobOptions.Value.StaleAfter;

        NllbTranslator translator;
        try { translator = model.Get(); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (await jobs.ClaimAsync(jobId, runner, stale, "none", null, ct))
                await jobs.FinishAsync(jobId, runner, JobStates.Failed, $"the model could not be loaded: {e.Message}", ct);
            return;
        }
        if (!await WithRetryAsync(() => jobs.ClaimAsync(jobId, runner, stale, translator.Device.Provider, translator.Device.FallbackReason, ct), ct))
        {
            if ((await jobs.GetAsync(jobId, ct)) is { CancelRequested: true, State: JobStates.Queued }) await jobs.CancelAsync(jobId, ct);
            return; // another live runner holds it, or it is finished or cancelled
        }
        log.LogInformation("job {Job}: {Runner} runs from row {Seq}", jobId, runner, job.NextSeq);

        using var lost = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var heartbeat = BeatAsync(jobId, runner, lost);
        Task<bool>? pending = null;
        Task<IReadOnlyList<JobRow>>? ahead = null;
        try
        {
            var decoding = new DecodingOptions { NumBeams = options.Beams, MaxSourceLength = options.MaxSourceTokens };
            var chunkRows = options.BatchSize * Math.Max(1, jobOptions.Value.BatchesPerChunk);
            var next = job.NextSeq;
            var datasetId = job.DatasetId;
            var rows = await ReadAheadAsync(datasetId, next, chunkRows, lost.Token);
            if (rows.Count == 0)
            {
                await WithRetryAsync(() => jobs.FinishAsync(jobId, runner, JobStates.Succeeded, null, lost.Token), lost.Token);
                return;
            }
            // The model's thread only translates. While it does, the next chunk's rows are read and the previous chunk is
            // checked (chrF++, flags) and committed on another thread: at most one chunk is in flight, and its commit is
            // awaited before the next one starts, so the checkpoint moves in order. The last chunk's commit also
            // finishes the job (one commit less at the end).
            while (true)
            {
                if (pending is not null)
                {
                    job = await WithRetryAsync(() => jobs.GetAsync(jobId, lost.Token), lost.Token);
                    if (job is null || job.Runner != runner || job.State != JobStates.Running) return;
                    if (job.CancelRequested)
                    {
                        if (!await pending) return;
                        await jobs.MarkCancelledAsync(jobId, runner, ct);
                        return;
                    }
                }
                var from = next;
                next = rows[^1].Seq + 1;
                ahead = ReadAheadAsync(datasetId, next, chunkRows, lost.Token);
                var clock = Stopwatch.StartNew();
                var translated = Translate(translator, rows, decoding, options, lost.Token);
                var activeMs = clock.ElapsedMilliseconds;
                if (pending is not null && !await pending) return;
                rows = await ahead; // read while the chunk was translated
                var (upTo, last) = (next, rows.Count == 0);
                pending = Task.Run(() => CommitAsync(jobId, runner, from, upTo, Check(translated, options), activeMs, last, lost.Token), lost.Token);
                if (last)
                {
                    if (await pending) log.LogInformation("job {Job} finished", jobId);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            log.LogWarning("job {Job}: {Runner} lost its hold on the job and stopped", jobId, runner);
        }
        finally
        {
            await lost.CancelAsync();
            try { await heartbeat; } catch (OperationCanceledException) { }
            try { if (pending is not null) await pending; } catch (Exception) { } // its outcome no longer matters to this run
            try { if (ahead is not null) await ahead; } catch (Exception) { }
        }
    }

    /// <summary>Commits a chunk (the last one also finishes the job); false when this runner must stop (another runner
    /// took the job over). A commit whose answer was lost is found by reading the checkpoint back.</summary>
    async Task<bool> CommitAsync(string jobId, string runner, long expected, long next, List<JobRowResult> results, long activeMs, bool last,
        CancellationToken ct)
    {
        if (await WithRetryAsync(() => jobs.CommitChunkAsync(jobId, runner, expected, next, results, activeMs, ct, last), ct)) return true;
        var now = await WithRetryAsync(() => jobs.GetAsync(jobId, ct), ct);
        return now is not null && now.Runner == runner && now.NextSeq == next;
    }

    Task<IReadOnlyList<JobRow>> ReadAheadAsync(string datasetId, long from, int count, CancellationToken ct) =>
        WithRetryAsync(() => jobs.ReadRowsAsync(datasetId, from, count, ct), ct);

    async Task BeatAsync(string jobId, string runner, CancellationTokenSource lost)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(jobOptions.Value.HeartbeatSeconds));
        while (await timer.WaitForNextTickAsync(lost.Token))
        {
            try
            {
                if (!await jobs.HeartbeatAsync(jobId, runner, lost.Token)) { await lost.CancelAsync(); return; }
            }
            catch (Exception e) when (StorageFaults.IsUnavailable(e)) { } // the chunk loop waits for the database too
        }
    }

    /// <summary>Retries while the database is unreachable, waiting 1, 2, 4 … s between tries, at most Jobs:MaxRetryDelaySeconds (30).</summary>
    async Task<T> WithRetryAsync<T>(Func<Task<T>> action, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try { return await action(); }
            catch (Exception e) when (StorageFaults.IsUnavailable(e) && !ct.IsCancellationRequested)
            {
                log.LogWarning("database unavailable ({Reason}); retrying in {Delay} s", e.Message, delay.TotalSeconds);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromSeconds(Math.Min(jobOptions.Value.MaxRetryDelaySeconds, delay.TotalSeconds * 2));
            }
        }
    }

    async Task WithRetryAsync(Func<Task> action, CancellationToken ct) => await WithRetryAsync(async () => { await action(); return 0; }, ct);

    /// <summary>A row after the model: its back-translation, or the reason it failed.</summary>
    internal readonly record struct TranslatedRow(JobRow Row, string? Back, string? Failure);

    /// <summary>Back-translates one chunk: one model call per batch of a language pair; rows that fail are kept apart with their reason.</summary>
    internal static TranslatedRow[] Translate(NllbTranslator translator, IReadOnlyList<JobRow> rows, DecodingOptions decoding,
        BackTranslationJobOptions options, CancellationToken ct)
    {
        var results = new TranslatedRow[rows.Count];
        var batches = rows.Select((row, index) => (row, index)).GroupBy(x => (x.row.TargetLang, x.row.SourceLang))
            .SelectMany(g => g.Chunk(options.BatchSize).Select(batch => (g.Key, batch)));
        foreach (var group in batches)
        {
            var items = group.batch;
            long forced;
            try
            {
                translator.Tokenizer.LanguageId(group.Key.TargetLang);
                forced = translator.Tokenizer.LanguageId(group.Key.SourceLang);
            }
            catch (ArgumentException e)
            {
                foreach (var (row, index) in items) results[index] = new(row, null, $"unknown language: {e.Message}");
                continue;
            }
            var (sources, cut) = translator.EncodeSources(items.Select(x => x.row.Translation).ToArray(), group.Key.TargetLang, decoding);
            var ok = new List<int>();
            for (var k = 0; k < items.Length; k++)
                if (cut[k]) results[items[k].index] = new(items[k].row, null, $"too long: the translation is over {options.MaxSourceTokens - 2} tokens");
                else ok.Add(k);
            if (ok.Count == 0) continue;
            long[][] outputs;
            try { outputs = translator.Generate(ok.Select(k => sources[k]).ToArray(), forced, decoding, ct); }
            catch (Exception) when (ok.Count > 1 && !ct.IsCancellationRequested)
            {
                // One row may break the batch: translate each alone so only the broken ones fail.
                outputs = new long[ok.Count][];
                for (var j = 0; j < ok.Count; j++)
                {
                    try { outputs[j] = translator.Generate([sources[ok[j]]], forced, decoding, ct)[0]; }
                    catch (Exception e) when (!ct.IsCancellationRequested) { results[items[ok[j]].index] = new(items[ok[j]].row, null, $"model error: {e.Message}"); }
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                results[items[ok[0]].index] = new(items[ok[0]].row, null, $"model error: {e.Message}");
                continue;
            }
            for (var j = 0; j < ok.Count; j++)
            {
                if (outputs[j] is null) continue;
                var (row, index) = items[ok[j]];
                results[index] = new(row, translator.Tokenizer.Decode(outputs[j]), null);
            }
        }
        return results;
    }

    /// <summary>Scores each back-translated row against its source (chrF++, length ratio) and names its mismatch flags.</summary>
    internal static List<JobRowResult> Check(TranslatedRow[] rows, BackTranslationJobOptions options) => rows.Select(t =>
    {
        if (t.Back is null) return Failed(t.Row, t.Failure!);
        var check = MismatchFlags.Evaluate(t.Row.Source, t.Row.Translation, t.Back, t.Row.TargetLang, options.Flags);
        return new JobRowResult(t.Row.Seq, t.Row.RowId, "done", t.Back, Math.Round(check.ChrF, 4), Math.Round(check.LengthRatio, 4), false,
            "," + string.Concat(check.Flags.Select(f => f.Flag + ",")),
            check.Flags.Count == 0 ? null : JsonSerializer.Serialize(check.Flags.Select(f => new RowFlag(f.Flag, f.Reason)).ToList(), JsonSerializerOptions.Web),
            null);
    }).ToList();

    static JobRowResult Failed(JobRow row, string reason) => new(row.Seq, row.RowId, "failed", null, null, null, false, ",", null, reason);
}
