using Dapper;

namespace AyaQC.Storage.Datasets;

public sealed record StoredJob(string Id, string DatasetId, string State, string Queue, string OptionsJson, string Signature,
    long TotalRows, long RowsDone, long RowsFailed, long NextSeq, long ActiveMs, int Attempts, bool CancelRequested, string? Error,
    string? Device, string? DeviceNote, string? Runner, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt)
{
    public bool IsFinished => State is JobStates.Succeeded or JobStates.Failed or JobStates.Cancelled;
}

public static class JobStates
{
    public const string Queued = "queued", Running = "running", Succeeded = "succeeded", Failed = "failed", Cancelled = "cancelled";
}

/// <summary>A dataset row as a job reads it.</summary>
public sealed record JobRow(long Seq, string RowId, string SourceLang, string TargetLang, string Source, string Translation);

/// <summary>One row's outcome as a chunk writes it: done (with back-translation, scores and flags) or failed (with why).</summary>
public sealed record JobRowResult(long Seq, string RowId, string Status, string? BackTranslation, double? ChrF, double? LengthRatio,
    bool SourceCut, string Flags, string? FlagReasonsJson, string? Failure);

/// <summary>
/// Back-translation jobs: progress, the checkpoint (<c>next_seq</c>) and the runner holding the job (<c>hangfire_job_id</c>,
/// kept alive by heartbeats in <c>updated_at</c>). A chunk's results and the checkpoint move in one transaction, and only
/// for the runner that holds the job at the expected checkpoint, so every row is written exactly once.
/// </summary>
public sealed class BackTranslationJobStore(SqlDatabase db)
{
    static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async Task<StoredJob> CreateAsync(string datasetId, string queue, string optionsJson, string signature, long totalRows, CancellationToken ct = default)
    {
        var id = SqlQualificationStore.NewId("job");
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            INSERT INTO backtranslation_jobs (id, dataset_id, state, queue, options_json, signature, total_rows, rows_done, rows_failed,
                next_seq, active_ms, attempts, cancel_requested, created_at, updated_at)
            VALUES (@id, @datasetId, 'queued', @queue, @optionsJson, @signature, @totalRows, 0, 0, 1, 0, 0, 0, @now, @now)
            """, new { id, datasetId, queue, optionsJson, signature, totalRows, now = NowMs }, tx), ct);
        return (await GetAsync(id, ct))!;
    }

    const string JobColumns = """
        SELECT id AS Id, dataset_id AS DatasetId, state AS State, queue AS Queue, options_json AS OptionsJson, signature AS Signature,
               total_rows AS TotalRows, rows_done AS RowsDone, rows_failed AS RowsFailed, next_seq AS NextSeq, active_ms AS ActiveMs,
               attempts AS Attempts, cancel_requested AS CancelRequested, error AS Error, device AS Device, device_note AS DeviceNote,
               hangfire_job_id AS Runner, created_at AS CreatedAt, started_at AS StartedAt, updated_at AS UpdatedAt, finished_at AS FinishedAt
        FROM backtranslation_jobs
        """;

    public async Task<StoredJob?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<JobRowData>(JobColumns + " WHERE id = @id", new { id }))?.ToRecord();
    }

    public async Task<IReadOnlyList<StoredJob>> ListForDatasetAsync(string datasetId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<JobRowData>(JobColumns + " WHERE dataset_id = @datasetId ORDER BY created_at, id", new { datasetId }))
            .Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Running jobs whose runner has not beaten for <paramref name="staleAfter"/> (its process died).</summary>
    public async Task<IReadOnlyList<StoredJob>> ListStaleAsync(TimeSpan staleAfter, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<JobRowData>(JobColumns + " WHERE state = 'running' AND updated_at < @before",
            new { before = NowMs - (long)staleAfter.TotalMilliseconds })).Select(r => r.ToRecord()).ToList();
    }

    public Task SetRunnerAsync(string id, string runner, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE backtranslation_jobs SET hangfire_job_id = @runner WHERE id = @id AND state = 'queued' AND hangfire_job_id IS NULL",
            new { id, runner }, tx), ct);

    /// <summary>Takes the job for <paramref name="runner"/>: a queued job, one this runner held already (a retry), or one
    /// whose runner stopped beating. False when another runner is alive on it, or it is finished or cancelled.</summary>
    public async Task<bool> ClaimAsync(string id, string runner, TimeSpan staleAfter, string device, string? deviceNote, CancellationToken ct = default)
    {
        var now = NowMs;
        return await db.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            UPDATE backtranslation_jobs
            SET state = 'running', hangfire_job_id = @runner, updated_at = @now, attempts = attempts + 1,
                started_at = COALESCE(started_at, @now), device = @device, device_note = @deviceNote, error = NULL
            WHERE id = @id AND cancel_requested = 0
              AND (state = 'queued' OR (state = 'running' AND (hangfire_job_id = @runner OR hangfire_job_id IS NULL OR updated_at < @staleBefore)))
            """, new { id, runner, now, device, deviceNote, staleBefore = now - (long)staleAfter.TotalMilliseconds }, tx), ct) == 1;
    }

    /// <summary>Keeps the runner's hold alive; false when the job was taken over, cancelled or finished.</summary>
    public async Task<bool> HeartbeatAsync(string id, string runner, CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE backtranslation_jobs SET updated_at = @now WHERE id = @id AND hangfire_job_id = @runner AND state = 'running'",
            new { id, runner, now = NowMs }, tx), ct) == 1;

    public async Task<IReadOnlyList<JobRow>> ReadRowsAsync(string datasetId, long fromSeq, int count, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<JobRowData2>(
            """
            SELECT seq AS Seq, row_id AS RowId, source_lang AS SourceLang, target_lang AS TargetLang, source AS Source, translation AS Translation
            FROM dataset_rows WHERE dataset_id = @datasetId AND seq >= @fromSeq ORDER BY seq LIMIT @count
            """, new { datasetId, fromSeq = (int)fromSeq, count })).Select(r => new JobRow(r.Seq, r.RowId, r.SourceLang, r.TargetLang, r.Source, r.Translation)).ToList();
    }

    /// <summary>Writes a chunk's results and moves the checkpoint past them, in one transaction; false (nothing written)
    /// when this runner no longer holds the job or the checkpoint moved (another runner wrote these rows). With
    /// <paramref name="last"/> the job succeeds in the same transaction (no further commit after the last rows).</summary>
    public async Task<bool> CommitChunkAsync(string id, string runner, long expectedNextSeq, long newNextSeq, IReadOnlyList<JobRowResult> results,
        long activeMs, CancellationToken ct = default, bool last = false)
    {
        var now = NowMs;
        int done = results.Count(r => r.Status == "done"), failed = results.Count - done;
        return await db.WriteAsync(async (c, tx) =>
        {
            var moved = await c.ExecuteAsync(
                """
                UPDATE backtranslation_jobs
                SET next_seq = @newNextSeq, rows_done = rows_done + @done, rows_failed = rows_failed + @failed,
                    active_ms = active_ms + @activeMs, updated_at = @now,
                    state = CASE WHEN @last = 1 THEN 'succeeded' ELSE state END, finished_at = CASE WHEN @last = 1 THEN @now ELSE finished_at END
                WHERE id = @id AND hangfire_job_id = @runner AND state = 'running' AND next_seq = @expectedNextSeq
                """, new { id, runner, newNextSeq = (int)newNextSeq, expectedNextSeq = (int)expectedNextSeq, done, failed, activeMs, now, last = last ? 1 : 0 }, tx);
            if (moved == 0) return false;
            await c.ExecuteAsync(
                """
                INSERT INTO backtranslation_results (job_id, seq, row_id, status, back_translation, chrf, length_ratio, source_cut,
                    flags, flag_reasons, failure, created_at)
                VALUES (@id, @Seq, @RowId, @Status, @BackTranslation, @ChrF, @LengthRatio, @Cut, @Flags, @FlagReasonsJson, @Failure, @now)
                """,
                results.Select(r => new { id, Seq = (int)r.Seq, r.RowId, r.Status, r.BackTranslation, r.ChrF, r.LengthRatio,
                    Cut = r.SourceCut ? 1 : 0, r.Flags, r.FlagReasonsJson, r.Failure, now }), tx);
            return true;
        }, ct);
    }

    public Task FinishAsync(string id, string runner, string state, string? error, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE backtranslation_jobs SET state = @state, error = @error, finished_at = @now, updated_at = @now WHERE id = @id AND hangfire_job_id = @runner AND state = 'running'",
            new { id, runner, state, error, now = NowMs }, tx), ct);

    /// <summary>Asks the job to stop: a queued job is cancelled at once, a running one at its next chunk.</summary>
    public Task CancelAsync(string id, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            var now = NowMs;
            await c.ExecuteAsync("UPDATE backtranslation_jobs SET cancel_requested = 1, updated_at = @now WHERE id = @id AND state IN ('queued', 'running')",
                new { id, now }, tx);
            return await c.ExecuteAsync("UPDATE backtranslation_jobs SET state = 'cancelled', finished_at = @now WHERE id = @id AND state = 'queued'",
                new { id, now }, tx);
        }, ct);

    /// <summary>Fails a job that never reached a queue (its enqueueing failed).</summary>
    public Task AbandonAsync(string id, string error, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE backtranslation_jobs SET state = 'failed', error = @error, finished_at = @now, updated_at = @now WHERE id = @id AND state = 'queued'",
            new { id, error, now = NowMs }, tx), ct);

    /// <summary>A running job whose cancel was asked for stops here (the runner calls it when it sees the request).</summary>
    public Task MarkCancelledAsync(string id, string runner, CancellationToken ct = default) =>
        FinishAsync(id, runner, JobStates.Cancelled, null, ct);

    public async Task<(long Results, long DistinctSeqs)> CountResultsAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var total = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM backtranslation_results WHERE job_id = @id", new { id });
        var distinct = await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT seq) FROM backtranslation_results WHERE job_id = @id", new { id });
        return (total, distinct);
    }

    sealed class JobRowData
    {
        public string Id { get; set; } = "";
        public string DatasetId { get; set; } = "";
        public string State { get; set; } = "";
        public string Queue { get; set; } = "";
        public string OptionsJson { get; set; } = "";
        public string Signature { get; set; } = "";
        public long TotalRows { get; set; }
        public long RowsDone { get; set; }
        public long RowsFailed { get; set; }
        public long NextSeq { get; set; }
        public long ActiveMs { get; set; }
        public long Attempts { get; set; }
        public long CancelRequested { get; set; }
        public string? Error { get; set; }
        public string? Device { get; set; }
        public string? DeviceNote { get; set; }
        public string? Runner { get; set; }
        public long CreatedAt { get; set; }
        public long? StartedAt { get; set; }
        public long UpdatedAt { get; set; }
        public long? FinishedAt { get; set; }

        static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

        public StoredJob ToRecord() => new(Id, DatasetId, State, Queue, OptionsJson, Signature, TotalRows, RowsDone, RowsFailed, NextSeq,
            ActiveMs, (int)Attempts, CancelRequested != 0, Error, Device, DeviceNote, Runner, At(CreatedAt), StartedAt is { } s ? At(s) : null,
            At(UpdatedAt), FinishedAt is { } f ? At(f) : null);
    }

    sealed class JobRowData2
    {
        public long Seq { get; set; }
        public string RowId { get; set; } = "";
        public string SourceLang { get; set; } = "";
        public string TargetLang { get; set; } = "";
        public string Source { get; set; } = "";
        public string Translation { get; set; } = "";
    }
}
