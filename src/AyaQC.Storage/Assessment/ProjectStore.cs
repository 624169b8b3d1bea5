using System.Data;
using Dapper;

namespace AyaQC.Storage.Assessment;

/// <summary>
/// Assessment projects in plain SQL (Dapper), shared by SQLite and PostgreSQL. Votes, suspension events and
/// post-edits are append-only; the project owner replays them to rebuild its board.
/// </summary>
public sealed partial class ProjectStore(SqlDatabase db)
{
    static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 17)];

    public async Task<StoredProject> CreateAsync(NewProject p, DateTimeOffset now, CancellationToken ct = default)
    {
        var id = NewId("prj");
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(
                """
                INSERT INTO projects (id, name, dataset_id, gold_set_id, task_kind, settings_json, id_key, seed, state, deadline, created_at)
                VALUES (@id, @Name, @DatasetId, @GoldSetId, @TaskKind, @SettingsJson, @IdKey, @Seed, 'draft', @deadline, @at)
                """,
                new { id, p.Name, p.DatasetId, p.GoldSetId, p.TaskKind, p.SettingsJson, p.IdKey, p.Seed, deadline = p.Deadline is { } d ? Ms(d) : (long?)null, at = Ms(now) }, tx);
            await c.ExecuteAsync("INSERT INTO project_assessors (project_id, assessor_id) VALUES (@id, @a)", p.Pool.Distinct().Select(a => new { id, a }), tx);
            return 0;
        }, ct);
        return (await GetAsync(id, ct))!;
    }

    const string ProjectColumns = """
        SELECT id AS Id, name AS Name, dataset_id AS DatasetId, gold_set_id AS GoldSetId, task_kind AS TaskKind,
               settings_json AS SettingsJson, id_key AS IdKey, seed AS Seed, state AS State, deadline AS Deadline, created_at AS CreatedAt
        FROM projects
        """;

    public async Task<StoredProject?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<ProjectRowData>(ProjectColumns + " WHERE id = @id", new { id }))?.ToRecord();
    }

    public async Task<IReadOnlyList<StoredProject>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<ProjectRowData>(ProjectColumns + " ORDER BY created_at, id")).Select(r => r.ToRecord()).ToList();
    }

    public Task<bool> SetStateAsync(string id, string state, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx) => await c.ExecuteAsync("UPDATE projects SET state = @state WHERE id = @id", new { id, state }, tx) == 1, ct);

    public async Task<IReadOnlyList<string>> PoolAsync(string projectId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<string>("SELECT assessor_id FROM project_assessors WHERE project_id = @projectId ORDER BY assessor_id", new { projectId })).ToList();
    }

    /// <summary>The projects an assessor is in (for their own listing).</summary>
    public async Task<IReadOnlyList<StoredProject>> ProjectsOfAsync(string assessorId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<ProjectRowData>(ProjectColumns + " WHERE id IN (SELECT project_id FROM project_assessors WHERE assessor_id = @assessorId) ORDER BY created_at, id",
            new { assessorId })).Select(r => r.ToRecord()).ToList();
    }

    /// <summary>The dataset's rows in file order (schema step 4's dataset_rows).</summary>
    public async Task<IReadOnlyList<ProjectRow>> DatasetRowsAsync(string datasetId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<ProjectRow>(
            """
            SELECT row_id AS RowId, source_lang AS SourceLang, target_lang AS TargetLang, source AS Source, translation AS Translation, post_edit AS PostEdit
            FROM dataset_rows WHERE dataset_id = @datasetId ORDER BY seq
            """, new { datasetId })).ToList();
    }

    public async Task<IReadOnlyList<StoredVote>> VotesAsync(string projectId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<VoteRow>(
            """
            SELECT seq AS Seq, assessor_id AS AssessorId, item_id AS ItemId, label AS Label, error_type AS ErrorType, seconds AS Seconds,
                   answered_at AS AnsweredAt, imported AS Imported
            FROM project_votes WHERE project_id = @projectId ORDER BY seq
            """, new { projectId })).Select(v => v.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<StoredEvent>> EventsAsync(string projectId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<EventRow>(
            """
            SELECT event_no AS EventNo, assessor_id AS AssessorId, kind AS Kind, after_votes AS AfterVotes, signal AS Signal, successes AS Successes,
                   count AS Count, wilson_upper AS WilsonUpper, threshold AS Threshold, reason AS Reason, happened_at AS At
            FROM project_events WHERE project_id = @projectId ORDER BY event_no
            """, new { projectId })).Select(e => e.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<StoredRowRequest>> RowRequestsAsync(string projectId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<RowRequestRow>(
            """
            SELECT request_no AS RequestNo, row_id AS RowId, more AS More, after_votes AS AfterVotes, requested_at AS RequestedAt
            FROM project_row_requests WHERE project_id = @projectId ORDER BY request_no
            """, new { projectId })).Select(r => new StoredRowRequest((int)r.RequestNo, r.RowId, (int)r.More, r.AfterVotes, At(r.RequestedAt))).ToList();
    }

    /// <summary>Stores rows sent back for more votes, all or none.</summary>
    public Task AddRowRequestsAsync(string projectId, IReadOnlyList<StoredRowRequest> requests, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            INSERT INTO project_row_requests (project_id, request_no, row_id, more, after_votes, requested_at)
            VALUES (@projectId, @RequestNo, @RowId, @More, @AfterVotes, @At)
            """, requests.Select(r => new { projectId, r.RequestNo, r.RowId, r.More, r.AfterVotes, At = Ms(r.RequestedAt) }), tx), ct);

    sealed class RowRequestRow
    {
        public long RequestNo { get; set; }
        public string RowId { get; set; } = "";
        public long More { get; set; }
        public long AfterVotes { get; set; }
        public long RequestedAt { get; set; }
    }

    /// <summary>
    /// Appends votes, events and post-edits as one write (all stored or none) through the database's group commit:
    /// the changes of many answers, of any projects, share one transaction. Returns once durably committed.
    /// </summary>
    public Task AppendAsync(ProjectAppend append, CancellationToken ct = default) => db.CommitGroupedAsync(Statements(append), ct);

    /// <summary>Stores imported answers in one transaction of their own (PostgreSQL: COPY), all or none.</summary>
    public Task ImportVotesAsync(string projectId, IReadOnlyList<StoredVote> votes, CancellationToken ct = default) =>
        db.BulkInsertAsync("project_votes", VoteColumns, votes.Select(v => VoteValues(projectId, v)), ct);

    static readonly BulkColumn[] VoteColumns =
    [
        new("project_id", DbType.String), new("seq", DbType.Int64), new("assessor_id", DbType.String), new("item_id", DbType.String),
        new("label", DbType.String), new("error_type", DbType.String), new("seconds", DbType.Double), new("answered_at", DbType.Int64),
        new("imported", DbType.Int32),
    ];

    static object?[] VoteValues(string projectId, StoredVote v) =>
        [projectId, v.Seq, v.AssessorId, v.ItemId, v.Label, v.ErrorType, v.Seconds, Ms(v.AnsweredAt), v.Imported ? 1 : 0];

    const string InsertVote = """
        INSERT INTO project_votes (project_id, seq, assessor_id, item_id, label, error_type, seconds, answered_at, imported)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8)
        """;

    const string InsertEvent = """
        INSERT INTO project_events (project_id, event_no, assessor_id, kind, after_votes, signal, successes, count, wilson_upper, threshold, reason, happened_at)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11)
        """;

    const string InsertPostEdit = """
        INSERT INTO post_edits (id, project_id, row_id, assessor_id, text, hter, signature, state, created_at)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8)
        """;

    static List<SqlStatement> Statements(ProjectAppend a)
    {
        var list = new List<SqlStatement>(a.Votes.Count + a.Events.Count + a.PostEdits.Count);
        foreach (var v in a.Votes) list.Add(Statement(InsertVote, VoteColumns, VoteValues(a.ProjectId, v)));
        foreach (var e in a.Events)
            list.Add(Statement(InsertEvent, EventTypes, [a.ProjectId, e.EventNo, e.AssessorId, e.Kind, e.AfterVotes, e.Signal, e.Successes, e.Count,
                e.WilsonUpper, e.Threshold, e.Reason, Ms(e.At)]));
        foreach (var p in a.PostEdits)
            list.Add(Statement(InsertPostEdit, PostEditTypes, [p.Id, p.ProjectId, p.RowId, p.AssessorId, p.Text, p.Hter, p.Signature, p.State, Ms(p.CreatedAt)]));
        return list;
    }

    static readonly BulkColumn[] EventTypes =
    [
        new("project_id", DbType.String), new("event_no", DbType.Int32), new("assessor_id", DbType.String), new("kind", DbType.String),
        new("after_votes", DbType.Int64), new("signal", DbType.String), new("successes", DbType.Int32), new("count", DbType.Int32),
        new("wilson_upper", DbType.Double), new("threshold", DbType.Double), new("reason", DbType.String), new("happened_at", DbType.Int64),
    ];

    static readonly BulkColumn[] PostEditTypes =
    [
        new("id", DbType.String), new("project_id", DbType.String), new("row_id", DbType.String), new("assessor_id", DbType.String),
        new("text", DbType.String), new("hter", DbType.Double), new("signature", DbType.String), new("state", DbType.String), new("created_at", DbType.Int64),
    ];

    /// <summary>A statement whose placeholders are @p0, @p1, … in the order of <paramref name="columns"/>.</summary>
    static readonly string[] ArgNames = Enumerable.Range(0, 16).Select(i => "p" + i).ToArray();

    static SqlStatement Statement(string sql, BulkColumn[] columns, object?[] values)
    {
        var args = new SqlArg[columns.Length];
        for (var i = 0; i < args.Length; i++) args[i] = new SqlArg(ArgNames[i], values[i], columns[i].Type);
        return new(sql, args);
    }

    // ---------- post-edits and reviewers ----------

    const string PostEditColumns = """
        SELECT id AS Id, project_id AS ProjectId, row_id AS RowId, assessor_id AS AssessorId, text AS Text, hter AS Hter, signature AS Signature,
               state AS State, reviewer_id AS ReviewerId, reviewed_at AS ReviewedAt, created_at AS CreatedAt
        FROM post_edits
        """;

    public async Task<IReadOnlyList<StoredPostEdit>> PostEditsAsync(string projectId, string? state, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<PostEditRow>(PostEditColumns + " WHERE project_id = @projectId AND (@state IS NULL OR state = @state) ORDER BY created_at, id",
            new { projectId, state })).Select(p => p.ToRecord()).ToList();
    }

    public async Task<StoredPostEdit?> PostEditAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<PostEditRow>(PostEditColumns + " WHERE id = @id", new { id }))?.ToRecord();
    }

    /// <summary>Accepts or rejects a pending post-edit; false when it was already reviewed.</summary>
    public Task<bool> ReviewAsync(string id, string reviewerId, bool accept, DateTimeOffset now, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx) => await c.ExecuteAsync(
            "UPDATE post_edits SET state = @state, reviewer_id = @reviewerId, reviewed_at = @at WHERE id = @id AND state = 'pending'",
            new { id, reviewerId, state = accept ? "accepted" : "rejected", at = Ms(now) }, tx) == 1, ct);

    public async Task<StoredReviewer> AddReviewerAsync(string name, string tokenHash, string? assessorId, DateTimeOffset now, CancellationToken ct = default)
    {
        var id = NewId("rev");
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO reviewers (id, name, token_hash, assessor_id, created_at) VALUES (@id, @name, @tokenHash, @assessorId, @at)",
            new { id, name, tokenHash, assessorId, at = Ms(now) }, tx), ct);
        return new StoredReviewer(id, name, assessorId);
    }

    public async Task<StoredReviewer?> FindReviewerByTokenHashAsync(string tokenHash, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<StoredReviewer>(
            "SELECT id AS Id, name AS Name, assessor_id AS AssessorId FROM reviewers WHERE token_hash = @tokenHash", new { tokenHash });
    }

    sealed class ProjectRowData
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string? DatasetId { get; set; }
        public string? GoldSetId { get; set; }
        public string TaskKind { get; set; } = "";
        public string SettingsJson { get; set; } = "";
        public string IdKey { get; set; } = "";
        public long Seed { get; set; }
        public string State { get; set; } = "";
        public long? Deadline { get; set; }
        public long CreatedAt { get; set; }
        public StoredProject ToRecord() => new(Id, Name, DatasetId, GoldSetId, TaskKind, SettingsJson, IdKey, (int)Seed, State,
            Deadline is { } d ? At(d) : null, At(CreatedAt));
    }

    sealed class VoteRow
    {
        public long Seq { get; set; }
        public string AssessorId { get; set; } = "";
        public string ItemId { get; set; } = "";
        public string Label { get; set; } = "";
        public string? ErrorType { get; set; }
        public double Seconds { get; set; }
        public long AnsweredAt { get; set; }
        public long Imported { get; set; }
        public StoredVote ToRecord() => new(Seq, AssessorId, ItemId, Label, ErrorType, Seconds, At(AnsweredAt), Imported != 0);
    }

    sealed class EventRow
    {
        public long EventNo { get; set; }
        public string AssessorId { get; set; } = "";
        public string Kind { get; set; } = "";
        public long AfterVotes { get; set; }
        public string? Signal { get; set; }
        public long? Successes { get; set; }
        public long? Count { get; set; }
        public double? WilsonUpper { get; set; }
        public double? Threshold { get; set; }
        public string Reason { get; set; } = "";
        public long At { get; set; }
        public StoredEvent ToRecord() => new((int)EventNo, AssessorId, Kind, AfterVotes, Signal, (int?)Successes, (int?)Count, WilsonUpper, Threshold, Reason,
            ProjectStore.At(At));
    }

    sealed class PostEditRow
    {
        public string Id { get; set; } = "";
        public string ProjectId { get; set; } = "";
        public string RowId { get; set; } = "";
        public string AssessorId { get; set; } = "";
        public string Text { get; set; } = "";
        public double Hter { get; set; }
        public string Signature { get; set; } = "";
        public string State { get; set; } = "";
        public string? ReviewerId { get; set; }
        public long? ReviewedAt { get; set; }
        public long CreatedAt { get; set; }
        public StoredPostEdit ToRecord() => new(Id, ProjectId, RowId, AssessorId, Text, Hter, Signature, State, ReviewerId,
            ReviewedAt is { } r ? At(r) : null, At(CreatedAt));
    }
}
