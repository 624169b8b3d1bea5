using AyaQC.Storage.Datasets;
using Dapper;

namespace AyaQC.Storage.Filtering;

/// <summary>A filter job: train the agreement model on a dataset's labelled rows (stage <c>train</c>), then decide every
/// row (stage <c>apply</c>, checkpointed by <see cref="NextSeq"/>).</summary>
public sealed record StoredFilterJob(string Id, string DatasetId, string? ProjectId, string State, string Stage, string OptionsJson,
    string Signature, long TotalRows, long RowsDone, long NextSeq, long ActiveMs, int Attempts, bool CancelRequested, string? Error,
    string? Runner, string? ModelZip, string? CardJson, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt)
{
    public const string Train = "train", Apply = "apply";
    public bool IsFinished => State is JobStates.Succeeded or JobStates.Failed or JobStates.Cancelled;
}

/// <summary>
/// Filter jobs: progress, the runner holding the job (kept alive by heartbeats in <c>updated_at</c>), the trained model
/// and the apply checkpoint. A chunk's decisions and the moved checkpoint commit in one transaction, only for the runner
/// holding the job at the expected checkpoint; decisions are upserts, so a rerun never duplicates a row.
/// </summary>
public sealed class FilterJobStore(SqlDatabase db)
{
    static long NowMs => StoredValues.NowMs;

    public async Task<StoredFilterJob> CreateAsync(string datasetId, string? projectId, string optionsJson, string signature, long totalRows,
        CancellationToken ct = default)
    {
        var id = SqlQualificationStore.NewId("fjob");
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            INSERT INTO filter_jobs (id, dataset_id, project_id, state, stage, options_json, signature, total_rows, rows_done, next_seq,
                active_ms, attempts, cancel_requested, created_at, updated_at)
            VALUES (@id, @datasetId, @projectId, 'queued', 'train', @optionsJson, @signature, @totalRows, 0, 1, 0, 0, 0, @now, @now)
            """, new { id, datasetId, projectId, optionsJson, signature, totalRows, now = NowMs }, tx), ct);
        return (await GetAsync(id, ct))!;
    }

    const string Columns = """
        SELECT id AS Id, dataset_id AS DatasetId, project_id AS ProjectId, state AS State, stage AS Stage, options_json AS OptionsJson,
               signature AS Signature, total_rows AS TotalRows, rows_done AS RowsDone, next_seq AS NextSeq, active_ms AS ActiveMs,
               attempts AS Attempts, cancel_requested AS CancelRequested, error AS Error, runner AS Runner, model_zip AS ModelZip,
               card_json AS CardJson, created_at AS CreatedAt, started_at AS StartedAt, updated_at AS UpdatedAt, finished_at AS FinishedAt
        FROM filter_jobs
        """;

    public async Task<StoredFilterJob?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<Row>(Columns + " WHERE id = @id", new { id }))?.ToRecord();
    }

    public async Task<IReadOnlyList<StoredFilterJob>> ListForDatasetAsync(string datasetId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<Row>(Columns + " WHERE dataset_id = @datasetId ORDER BY created_at, id", new { datasetId })).Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Running jobs whose runner has not beaten for <paramref name="staleAfter"/> (its process died).</summary>
    public async Task<IReadOnlyList<StoredFilterJob>> ListStaleAsync(TimeSpan staleAfter, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<Row>(Columns + " WHERE state = 'running' AND updated_at < @before",
            new { before = NowMs - (long)staleAfter.TotalMilliseconds })).Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Takes the job: a queued one, one this runner held (a retry), or one whose runner stopped beating.</summary>
    public async Task<bool> ClaimAsync(string id, string runner, TimeSpan staleAfter, CancellationToken ct = default)
    {
        var now = NowMs;
        return await db.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            UPDATE filter_jobs
            SET state = 'running', runner = @runner, updated_at = @now, attempts = attempts + 1, started_at = COALESCE(started_at, @now), error = NULL
            WHERE id = @id AND cancel_requested = 0
              AND (state = 'queued' OR (state = 'running' AND (runner = @runner OR runner IS NULL OR updated_at < @staleBefore)))
            """, new { id, runner, now, staleBefore = now - (long)staleAfter.TotalMilliseconds }, tx), ct) == 1;
    }

    public async Task<bool> HeartbeatAsync(string id, string runner, CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE filter_jobs SET updated_at = @now WHERE id = @id AND runner = @runner AND state = 'running'",
            new { id, runner, now = NowMs }, tx), ct) == 1;

    /// <summary>Training done: the model (zip as base64) and its card are stored, and the job moves to applying from row 1.</summary>
    public async Task<bool> SaveModelAsync(string id, string runner, string modelZip, string cardJson, string signature, long activeMs,
        CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            UPDATE filter_jobs SET stage = 'apply', model_zip = @modelZip, card_json = @cardJson, signature = @signature, next_seq = 1,
                active_ms = active_ms + @activeMs, updated_at = @now
            WHERE id = @id AND runner = @runner AND state = 'running' AND stage = 'train'
            """, new { id, runner, modelZip, cardJson, signature, activeMs, now = NowMs }, tx), ct) == 1;

    /// <summary>Writes a chunk's decisions and moves the checkpoint, in one transaction; false when this runner no longer
    /// holds the job at <paramref name="expectedNextSeq"/>.</summary>
    public async Task<bool> CommitChunkAsync(StoredFilterJob job, string runner, long newNextSeq, IReadOnlyList<ModelDecision> decisions,
        long activeMs, CancellationToken ct = default)
    {
        var now = NowMs;
        return await db.WriteAsync(async (c, tx) =>
        {
            var moved = await c.ExecuteAsync(
                """
                UPDATE filter_jobs SET next_seq = @newNextSeq, rows_done = rows_done + @done, active_ms = active_ms + @activeMs, updated_at = @now
                WHERE id = @id AND runner = @runner AND state = 'running' AND stage = 'apply' AND next_seq = @expected
                """, new { id = job.Id, runner, newNextSeq = (int)newNextSeq, expected = (int)job.NextSeq, done = decisions.Count, activeMs, now }, tx);
            if (moved == 0) return false;
            await DecisionStore.WriteModelDecisionsAsync(c, tx, job.DatasetId, job.Id, job.Signature, decisions, now);
            return true;
        }, ct);
    }

    public Task FinishAsync(string id, string runner, string state, string? error, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE filter_jobs SET state = @state, error = @error, finished_at = @now, updated_at = @now WHERE id = @id AND runner = @runner AND state = 'running'",
            new { id, runner, state, error, now = NowMs }, tx), ct);

    /// <summary>A queued job is cancelled at once, a running one at its next chunk.</summary>
    /// <summary>A job that could not be queued fails at once, so the list never shows it waiting for a run that will not come.</summary>
    public Task AbandonAsync(string id, string error, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE filter_jobs SET state = 'failed', error = @error, finished_at = @now, updated_at = @now WHERE id = @id AND state = 'queued'",
            new { id, error, now = NowMs }, tx), ct);

    public Task CancelAsync(string id, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            var now = NowMs;
            await c.ExecuteAsync("UPDATE filter_jobs SET cancel_requested = 1, updated_at = @now WHERE id = @id AND state IN ('queued', 'running')", new { id, now }, tx);
            return await c.ExecuteAsync("UPDATE filter_jobs SET state = 'cancelled', finished_at = @now WHERE id = @id AND state = 'queued'", new { id, now }, tx);
        }, ct);

    /// <summary>Rows from <paramref name="fromSeq"/> with what the model needs: label, post-edit, signals, and the result
    /// of the dataset's latest succeeded back-translation job (when there is one).</summary>
    public async Task<IReadOnlyList<FeatureRow>> ReadFeatureRowsAsync(string datasetId, long fromSeq, int count, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var jobId = await c.QuerySingleOrDefaultAsync<string>(
            "SELECT id FROM backtranslation_jobs WHERE dataset_id = @datasetId AND state = 'succeeded' ORDER BY created_at DESC, id DESC LIMIT 1",
            new { datasetId });
        return (await c.QueryAsync<FeatureRow>(
            """
            SELECT r.seq AS Seq, r.row_id AS RowId, r.translation AS Translation, r.post_edit AS PostEdit, r.label AS Label,
                   d.override_decision AS ExpertDecision,
                   r.signals_json AS SignalsJson, res.status AS BtStatus, res.chrf AS ChrF, res.length_ratio AS LengthRatio, res.flags AS Flags
            FROM dataset_rows r LEFT JOIN backtranslation_results res ON res.job_id = @jobId AND res.seq = r.seq
                 LEFT JOIN row_decisions d ON d.dataset_id = r.dataset_id AND d.seq = r.seq
            WHERE r.dataset_id = @datasetId AND r.seq >= @fromSeq ORDER BY r.seq LIMIT @count
            """, new { datasetId, jobId, fromSeq = (int)fromSeq, count })).ToList();
    }

    sealed class Row
    {
        public string Id { get; set; } = "";
        public string DatasetId { get; set; } = "";
        public string? ProjectId { get; set; }
        public string State { get; set; } = "";
        public string Stage { get; set; } = "";
        public string OptionsJson { get; set; } = "";
        public string Signature { get; set; } = "";
        public long TotalRows { get; set; }
        public long RowsDone { get; set; }
        public long NextSeq { get; set; }
        public long ActiveMs { get; set; }
        public long Attempts { get; set; }
        public long CancelRequested { get; set; }
        public string? Error { get; set; }
        public string? Runner { get; set; }
        public string? ModelZip { get; set; }
        public string? CardJson { get; set; }
        public long CreatedAt { get; set; }
        public long? StartedAt { get; set; }
        public long UpdatedAt { get; set; }
        public long? FinishedAt { get; set; }

        public StoredFilterJob ToRecord() => new(Id, DatasetId, ProjectId, State, Stage, OptionsJson, Signature, TotalRows, RowsDone, NextSeq,
            ActiveMs, (int)Attempts, CancelRequested != 0, Error, Runner, ModelZip, CardJson, StoredValues.At(CreatedAt),
            StartedAt is { } s ? StoredValues.At(s) : null, StoredValues.At(UpdatedAt), FinishedAt is { } f ? StoredValues.At(f) : null);
    }
}
