using System.Data.Common;
using System.Runtime.CompilerServices;
using AyaQC.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AyaQC.Storage.Filtering;

/// <summary>
/// Per-row decisions of a dataset, the leads' audited overrides, and the export reader. Decisions are keyed by the
/// row's seq, which is also the export's cursor: rows stream in seq order, so a cursor resumes exactly after a row.
/// </summary>
public sealed class DecisionStore(SqlDatabase db)
{
    const string DecisionColumns = """
        SELECT d.seq AS Seq, d.row_id AS RowId, d.job_id AS JobId, d.decision AS ModelDecision, d.p_good AS PGood, d.reasons AS Reasons,
               d.signature AS Signature, d.votes AS Votes, d.chrf AS ChrF, d.hter AS Hter, d.decided_at AS DecidedAt,
               d.override_decision AS OverrideDecision, d.override_id AS OverrideId
        FROM row_decisions d
        """;

    public async Task<StoredDecision?> GetAsync(string datasetId, string rowId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<DecisionRow>(DecisionColumns + " WHERE d.dataset_id = @datasetId AND d.row_id = @rowId",
            new { datasetId, rowId }))?.ToRecord();
    }

    /// <summary>One page of decided rows in seq order after <paramref name="after"/>, optionally one effective decision only.</summary>
    public async Task<(IReadOnlyList<StoredDecision> Rows, long? Next)> PageAsync(string datasetId, long after, int limit, string? decision,
        CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var filter = decision is null ? "" : " AND COALESCE(d.override_decision, d.decision) = @decision";
        var rows = (await c.QueryAsync<DecisionRow>(DecisionColumns + $" WHERE d.dataset_id = @datasetId AND d.seq > @after{filter} ORDER BY d.seq LIMIT @take",
            new { datasetId, after = (int)after, decision, take = limit + 1 })).Select(r => r.ToRecord()).ToList();
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        return (rows, more ? rows[^1].Seq : null);
    }

    /// <summary>Rows per effective decision (keep, review, drop) and how many of those are a lead's overrides.</summary>
    public async Task<(Dictionary<string, long> ByDecision, long Overridden)> CountsAsync(string datasetId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var rows = await c.QueryAsync<(string Decision, long Rows, long Overridden)>(
            """
            SELECT COALESCE(override_decision, decision) AS d, COUNT(*), SUM(CASE WHEN override_decision IS NULL THEN 0 ELSE 1 END)
            FROM row_decisions WHERE dataset_id = @datasetId AND COALESCE(override_decision, decision) IS NOT NULL
            GROUP BY COALESCE(override_decision, decision)
            """, new { datasetId });
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long overridden = 0;
        foreach (var r in rows) { counts[r.Decision] = r.Rows; overridden += r.Overridden; }
        return (counts, overridden);
    }

    /// <summary>The rows whose effective decision (the lead's override, else the latest model decision) is keep, and
    /// the signatures of the model decisions among them.</summary>
    public async Task<(HashSet<string> RowIds, IReadOnlyList<string> Signatures)> KeptRowsAsync(string datasetId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var rows = (await c.QueryAsync<(string RowId, string? Signature)>(
            "SELECT row_id, signature FROM row_decisions WHERE dataset_id = @datasetId AND COALESCE(override_decision, decision) = @keep",
            new { datasetId, keep = Decisions.Keep })).ToList();
        return (rows.Select(r => r.RowId).ToHashSet(StringComparer.Ordinal),
            rows.Where(r => r.Signature is not null).Select(r => r.Signature!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }

    public async Task<IReadOnlyList<StoredOverride>> OverridesAsync(string datasetId, string rowId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<OverrideRow>(
            """
            SELECT id AS Id, seq AS Seq, row_id AS RowId, decision AS Decision, previous_decision AS PreviousDecision,
                   model_decision AS ModelDecision, reason AS Reason, lead AS Lead, created_at AS CreatedAt
            FROM decision_overrides WHERE dataset_id = @datasetId AND row_id = @rowId ORDER BY created_at, id
            """, new { datasetId, rowId })).Select(r => r.ToRecord()).ToList();
    }

    /// <summary>
    /// A lead sets a row's decision: the override is appended to the audit trail and becomes the row's effective
    /// decision (a later model run changes the model's decision, never the override). Null when the dataset has no
    /// such row.
    /// </summary>
    public async Task<StoredOverride?> OverrideAsync(string datasetId, string rowId, string decision, string reason, string lead,
        DateTimeOffset now, CancellationToken ct = default)
    {
        var id = SqlQualificationStore.NewId("ovr");
        var at = StoredValues.Ms(now);
        return await db.WriteAsync(async (c, tx) =>
        {
            var seq = await c.QuerySingleOrDefaultAsync<long?>("SELECT seq FROM dataset_rows WHERE dataset_id = @datasetId AND row_id = @rowId",
                new { datasetId, rowId }, tx);
            if (seq is null) return null;
            var current = await c.QuerySingleOrDefaultAsync<DecisionRow>(DecisionColumns + " WHERE d.dataset_id = @datasetId AND d.seq = @seq",
                new { datasetId, seq = (int)seq }, tx);
            var previous = current?.ToRecord();
            await c.ExecuteAsync(
                """
                INSERT INTO decision_overrides (id, dataset_id, seq, row_id, decision, previous_decision, model_decision, reason, lead, created_at)
                VALUES (@id, @datasetId, @seq, @rowId, @decision, @previousDecision, @modelDecision, @reason, @lead, @at)
                """, new { id, datasetId, seq = (int)seq, rowId, decision, previousDecision = previous?.Decision, modelDecision = previous?.ModelDecision, reason, lead, at }, tx);
            await c.ExecuteAsync(
                """
                INSERT INTO row_decisions (dataset_id, seq, row_id, override_decision, override_id) VALUES (@datasetId, @seq, @rowId, @decision, @id)
                ON CONFLICT (dataset_id, seq) DO UPDATE SET override_decision = excluded.override_decision, override_id = excluded.override_id
                """, new { datasetId, seq = (int)seq, rowId, decision, id }, tx);
            return new StoredOverride(id, seq.Value, rowId, decision, previous?.Decision, previous?.ModelDecision, reason, lead, now);
        }, ct);
    }

    /// <summary>Rows whose model decision is <paramref name="jobId"/>'s, counted by model decision, by effective decision
    /// (override first) and whether a lead overrode them.</summary>
    public async Task<IReadOnlyList<(string Model, string Effective, bool Overridden, int Rows)>> CountsForJobAsync(string datasetId, string jobId,
        CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var rows = await c.QueryAsync<(string, string, long, long)>(
            """
            SELECT decision, COALESCE(override_decision, decision), CAST(CASE WHEN override_decision IS NULL THEN 0 ELSE 1 END AS BIGINT), CAST(COUNT(*) AS BIGINT)
            FROM row_decisions WHERE dataset_id = @datasetId AND job_id = @jobId AND decision IS NOT NULL
            GROUP BY decision, COALESCE(override_decision, decision), CASE WHEN override_decision IS NULL THEN 0 ELSE 1 END
            """, new { datasetId, jobId });
        return rows.Select(r => (r.Item1, r.Item2, r.Item3 == 1, (int)r.Item4)).ToList();
    }

    /// <summary>Writes model decisions in their own transaction (benches and tools; jobs write theirs with their checkpoint).</summary>
    public Task WriteModelDecisionsAsync(string datasetId, string jobId, string signature, IReadOnlyList<ModelDecision> decisions, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx) => { await WriteModelDecisionsAsync(c, tx, datasetId, jobId, signature, decisions, StoredValues.NowMs); return 0; }, ct);

    /// <summary>Writes a job's model decisions (upsert: the override columns are left as they are). Runs inside the
    /// caller's transaction, so decisions and the job's checkpoint move together.</summary>
    internal static Task WriteModelDecisionsAsync(DbConnection c, DbTransaction tx, string datasetId, string jobId, string signature,
        IReadOnlyList<ModelDecision> decisions, long at) =>
        c.ExecuteAsync(
            """
            INSERT INTO row_decisions (dataset_id, seq, row_id, job_id, decision, p_good, reasons, signature, votes, chrf, hter, decided_at)
            VALUES (@datasetId, @Seq, @RowId, @jobId, @Decision, @PGood, @Reasons, @signature, @Votes, @ChrF, @Hter, @at)
            ON CONFLICT (dataset_id, seq) DO UPDATE SET job_id = excluded.job_id, decision = excluded.decision, p_good = excluded.p_good,
                reasons = excluded.reasons, signature = excluded.signature, votes = excluded.votes, chrf = excluded.chrf,
                hter = excluded.hter, decided_at = excluded.decided_at
            """,
            decisions.Select(d => new { datasetId, Seq = (int)d.Seq, d.RowId, jobId, d.Decision, d.PGood, d.Reasons, signature, d.Votes, d.ChrF, d.Hter, at }), tx);

    /// <summary>
    /// Streams the dataset's rows in seq order after <paramref name="after"/> with their effective decision:
    /// <paramref name="decision"/> null = every row (undecided ones too), else only rows with that effective decision.
    /// One read connection, one forward-only reader: memory stays flat however many rows there are.
    /// </summary>
    public async IAsyncEnumerable<ExportRow> ExportAsync(string datasetId, long after, string? decision, long? limit,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var reader = await OpenExportAsync(datasetId, after, decision, limit, ct);
        while (await reader.ReadAsync(ct)) yield return reader.Row();
    }

    /// <summary>
    /// The export's rows in seq order after <paramref name="after"/> (a keyset cursor on the primary key), with their
    /// effective decision, optionally one decision only, at most <paramref name="limit"/>; the reader owns its connection.
    /// On SQLite a merge of two scans (<see cref="SqliteExportReader"/>); elsewhere one join, which PostgreSQL plans as a merge itself.
    /// </summary>
    public async Task<ExportReader> OpenExportAsync(string datasetId, long after, string? decision, long? limit, CancellationToken ct = default)
    {
        var c = await db.OpenReadAsync(ct);
        try
        {
            if (c is SqliteConnection sqlite) return SqliteExportReader.Open(sqlite, datasetId, after, decision, limit);
            var filter = decision is null ? "" : " AND COALESCE(d.override_decision, d.decision) = @decision";
            // Column order = ExportColumn.
            var sql = $"""
                SELECT r.seq, r.row_id, r.source_lang, r.target_lang, r.source, r.translation, r.post_edit, r.metadata_json,
                       COALESCE(d.override_decision, d.decision), d.override_decision, d.p_good, d.reasons, d.signature, d.votes, d.chrf, d.hter
                FROM dataset_rows r LEFT JOIN row_decisions d ON d.dataset_id = r.dataset_id AND d.seq = r.seq
                WHERE r.dataset_id = @datasetId AND r.seq > @after{filter}
                ORDER BY r.seq{(limit is null ? "" : " LIMIT @limit")}
                """;
            var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            Add(cmd, "datasetId", datasetId);
            Add(cmd, "after", (int)Math.Min(after, int.MaxValue));
            if (decision is not null) Add(cmd, "decision", decision);
            if (limit is { } l) Add(cmd, "limit", l);
            return ExportReader.Over(await cmd.ExecuteReaderAsync(ct), new CommandAndConnection(cmd, c));
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
    }

    sealed class CommandAndConnection(DbCommand cmd, DbConnection c) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await cmd.DisposeAsync();
            await c.DisposeAsync();
        }
    }

    static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    sealed class DecisionRow
    {
        public long Seq { get; set; }
        public string RowId { get; set; } = "";
        public string? JobId { get; set; }
        public string? ModelDecision { get; set; }
        public double? PGood { get; set; }
        public string? Reasons { get; set; }
        public string? Signature { get; set; }
        public long? Votes { get; set; }
        public double? ChrF { get; set; }
        public double? Hter { get; set; }
        public long? DecidedAt { get; set; }
        public string? OverrideDecision { get; set; }
        public string? OverrideId { get; set; }

        public StoredDecision ToRecord() => new(Seq, RowId, JobId, ModelDecision, PGood, Reasons, Signature, Votes is { } v ? (int)v : null,
            ChrF, Hter, DecidedAt is { } d ? StoredValues.At(d) : null, OverrideDecision, OverrideId);
    }

    sealed class OverrideRow
    {
        public string Id { get; set; } = "";
        public long Seq { get; set; }
        public string RowId { get; set; } = "";
        public string Decision { get; set; } = "";
        public string? PreviousDecision { get; set; }
        public string? ModelDecision { get; set; }
        public string Reason { get; set; } = "";
        public string Lead { get; set; } = "";
        public long CreatedAt { get; set; }

        public StoredOverride ToRecord() => new(Id, Seq, RowId, Decision, PreviousDecision, ModelDecision, Reason, Lead, StoredValues.At(CreatedAt));
    }
}
