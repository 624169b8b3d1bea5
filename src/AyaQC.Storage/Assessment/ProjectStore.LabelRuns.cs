using Dapper;

namespace AyaQC.Storage.Assessment;

/// <summary>A full recomputation of a project's labels (a labels job): progress, then what it computed on.</summary>
public sealed record StoredLabelRun(string Id, string ProjectId, string Method, string State, string? Signature, double? Alpha, long? AsOfVotes,
    long TotalRows, long RowsDone, long ActiveMs, int Attempts, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public bool IsFinished => State is Datasets.JobStates.Succeeded or Datasets.JobStates.Failed or Datasets.JobStates.Cancelled;
}

/// <summary>One row's label as a labels job stored it (row_no keeps the computation's order for paging).</summary>
public sealed record StoredRunLabel(string RowId, string Label, double Posterior, int Votes, double Entropy);

public sealed partial class ProjectStore
{
    public async Task<StoredLabelRun> CreateLabelRunAsync(string projectId, string method, long totalRows, DateTimeOffset now, CancellationToken ct = default)
    {
        var id = NewId("ljob");
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            INSERT INTO label_runs (id, project_id, method, state, total_rows, rows_done, active_ms, attempts, created_at)
            VALUES (@id, @projectId, @method, 'queued', @totalRows, 0, 0, 0, @at)
            """, new { id, projectId, method, totalRows, at = Ms(now) }, tx), ct);
        return (await LabelRunAsync(id, ct))!;
    }

    const string RunColumns = """
        SELECT id AS Id, project_id AS ProjectId, method AS Method, state AS State, signature AS Signature, alpha AS Alpha, as_of_votes AS AsOfVotes,
               total_rows AS TotalRows, rows_done AS RowsDone, active_ms AS ActiveMs, attempts AS Attempts, error AS Error,
               created_at AS CreatedAt, started_at AS StartedAt, finished_at AS FinishedAt
        FROM label_runs
        """;

    public async Task<StoredLabelRun?> LabelRunAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<RunRow>(RunColumns + " WHERE id = @id", new { id }))?.ToRecord();
    }

    /// <summary>The latest run that succeeded (with that method, when named).</summary>
    public async Task<StoredLabelRun?> LatestLabelRunAsync(string projectId, string? method, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryFirstOrDefaultAsync<RunRow>(RunColumns +
            " WHERE project_id = @projectId AND state = 'succeeded' AND (@method IS NULL OR method = @method) ORDER BY finished_at DESC, id DESC LIMIT 1",
            new { projectId, method }))?.ToRecord();
    }

    /// <summary>Marks the run started (another attempt); false when it has finished already.</summary>
    public async Task<bool> StartLabelRunAsync(string id, DateTimeOffset now, CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            UPDATE label_runs SET state = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, @at)
            WHERE id = @id AND state IN ('queued', 'running')
            """, new { id, at = Ms(now) }, tx), ct) == 1;

    /// <summary>Stores the computed labels and finishes the run in one transaction (a rerun replaces an earlier attempt's rows).</summary>
    public Task FinishLabelRunAsync(string id, string signature, double alpha, long asOfVotes, IReadOnlyList<StoredRunLabel> labels, long activeMs,
        DateTimeOffset now, CancellationToken ct = default) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("DELETE FROM run_labels WHERE run_id = @id", new { id }, tx);
        await c.ExecuteAsync(
            "INSERT INTO run_labels (run_id, row_no, row_id, label, posterior, votes, entropy) VALUES (@id, @No, @RowId, @Label, @Posterior, @Votes, @Entropy)",
            labels.Select((l, i) => new { id, No = i, l.RowId, l.Label, l.Posterior, l.Votes, l.Entropy }), tx);
        return await c.ExecuteAsync(
            """
            UPDATE label_runs SET state = 'succeeded', signature = @signature, alpha = @alpha, as_of_votes = @asOfVotes, total_rows = @rows,
                rows_done = @rows, active_ms = @activeMs, finished_at = @at, error = NULL
            WHERE id = @id
            """, new { id, signature, alpha = double.IsFinite(alpha) ? alpha : (double?)null, asOfVotes, rows = (long)labels.Count, activeMs, at = Ms(now) }, tx);
    }, ct);

    public Task FailLabelRunAsync(string id, string error, DateTimeOffset now, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE label_runs SET state = 'failed', error = @error, finished_at = @at WHERE id = @id", new { id, error, at = Ms(now) }, tx), ct);

    public async Task<IReadOnlyList<StoredRunLabel>> RunLabelsAsync(string runId, int start, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<RunLabelRow>(
            """
            SELECT row_id AS RowId, label AS Label, posterior AS Posterior, votes AS Votes, entropy AS Entropy
            FROM run_labels WHERE run_id = @runId AND row_no >= @start ORDER BY row_no LIMIT @limit
            """, new { runId, start, limit })).Select(r => new StoredRunLabel(r.RowId, r.Label, r.Posterior, (int)r.Votes, r.Entropy)).ToList();
    }

    sealed class RunRow
    {
        public string Id { get; set; } = "";
        public string ProjectId { get; set; } = "";
        public string Method { get; set; } = "";
        public string State { get; set; } = "";
        public string? Signature { get; set; }
        public double? Alpha { get; set; }
        public long? AsOfVotes { get; set; }
        public long TotalRows { get; set; }
        public long RowsDone { get; set; }
        public long ActiveMs { get; set; }
        public long Attempts { get; set; }
        public string? Error { get; set; }
        public long CreatedAt { get; set; }
        public long? StartedAt { get; set; }
        public long? FinishedAt { get; set; }
        public StoredLabelRun ToRecord() => new(Id, ProjectId, Method, State, Signature, Alpha, AsOfVotes, TotalRows, RowsDone, ActiveMs, (int)Attempts,
            Error, At(CreatedAt), StartedAt is { } s ? At(s) : null, FinishedAt is { } f ? At(f) : null);
    }

    sealed class RunLabelRow
    {
        public string RowId { get; set; } = "";
        public string Label { get; set; } = "";
        public double Posterior { get; set; }
        public long Votes { get; set; }
        public double Entropy { get; set; }
    }
}
