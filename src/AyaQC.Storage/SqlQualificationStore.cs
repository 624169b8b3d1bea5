using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Data;
using System.Data.Common;
using System.Text.Json;
using AyaQC.Core.Qualification;
using AyaQC.Storage.Schema;
using Dapper;

namespace AyaQC.Storage;

/// <summary>
/// The qualification store in plain SQL (Dapper), shared by SQLite and PostgreSQL.
/// Gold items and round policies never change once written, so they are cached after the first read.
/// </summary>
public sealed class SqlQualificationStore(SqlDatabase db) : IQualificationStore
{
    const char IdSeparator = '\n';
    const string GoldSetKind = "gold_set", AssessorKind = "assessors";

    readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, GoldItem>> _goldItems = new();
    readonly ConcurrentDictionary<string, RoundRules> _rounds = new();

    /// <summary>
    /// PostgreSQL only: each participant's progress as this node last saw it, so an answer costs one statement.
    /// Only a hint — the conditional write checks it against the database, and any rejection or lost race is
    /// judged again from a fresh read — so several nodes can share the database.
    /// </summary>
    readonly ConcurrentDictionary<(string RoundId, string AssessorId), ParticipantState> _knownProgress = new();
    const int MaxKnownProgress = 200_000;

    public StorageProvider Provider => db.Provider;

    public async Task InitializeAsync(CancellationToken ct = default) => await UpgradeToAsync(SchemaMigrations.Latest, ct);

    /// <summary>Upgrades only up to <paramref name="version"/>; tests use it to build an older database.</summary>
    public async Task UpgradeToAsync(int version, CancellationToken ct = default)
    {
        await using var conn = await db.OpenForUpgradeAsync(ct);
        await SchemaUpgrader.UpgradeAsync(conn, db.LockForUpgradeAsync, version, ct);
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenReadAsync(ct);
        return await SchemaUpgrader.CurrentVersionAsync(conn);
    }

    static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    static long NowMs => Ms(DateTimeOffset.UtcNow);

    // ---------- admin keys ----------

    public Task AddAdminKeyAsync(string name, string keyHash, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO admin_keys (key_hash, name, created_at) VALUES (@keyHash, @name, @at) ON CONFLICT (key_hash) DO NOTHING",
            new { keyHash, name, at = NowMs }, tx), ct);

    public async Task<bool> AdminKeyExistsAsync(string keyHash, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM admin_keys WHERE key_hash = @keyHash", new { keyHash }) > 0;
    }

    public async Task<int> CountAdminKeysAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM admin_keys");
    }

    // ---------- gold sets ----------

    const string GoldSetColumns = """
        SELECT s.id AS Id, s.name AS Name, s.created_at AS CreatedAt,
               (SELECT COUNT(*) FROM gold_items i WHERE i.set_id = s.id) AS ItemCount,
               (SELECT COUNT(*) FROM gold_items i WHERE i.set_id = s.id AND i.label = 'good') AS GoodCount
        FROM gold_sets s
        """;

    public async Task<ImportOutcome<StoredGoldSet>> ImportGoldSetAsync(GoldSetImport import, CancellationToken ct = default)
    {
        var id = NewId("set");
        var replayedId = await WriteImportAsync(GoldSetKind, import.BatchId, async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM gold_sets WHERE name = @Name", new { import.Name }, tx) > 0)
                throw new StoreConflictException($"a gold set named '{import.Name}' already exists; choose another name");
            await c.ExecuteAsync("INSERT INTO gold_sets (id, name, created_at) VALUES (@id, @Name, @at)",
                new { id, import.Name, at = NowMs }, tx);
            await c.ExecuteAsync(
                """
                INSERT INTO gold_items (set_id, item_id, line, source_lang, target_lang, source, translation, label, error_type, explanation)
                VALUES (@SetId, @Id, @Line, @SourceLang, @TargetLang, @Source, @Translation, @Label, @ErrorType, @Explanation)
                """,
                import.Items.Select((item, i) => new
                {
                    SetId = id, item.Id, Line = i + 1, item.SourceLang, item.TargetLang, item.Source, item.Translation,
                    Label = item.Label.ToCode(), item.ErrorType, item.Explanation,
                }), tx);
            return id;
        }, ct);
        var set = await GetGoldSetAsync(replayedId ?? id, ct) ?? throw new InvalidOperationException("gold set vanished after import");
        return new(set, replayedId is not null);
    }

    public async Task<IReadOnlyList<StoredGoldSet>> ListGoldSetsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<GoldSetRow>(GoldSetColumns + " ORDER BY s.created_at, s.id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<StoredGoldSet?> GetGoldSetAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<GoldSetRow>(GoldSetColumns + " WHERE s.id = @id", new { id }))?.ToRecord();
    }

    public async Task<IReadOnlyList<GoldItem>> GetGoldItemsAsync(string setId, CancellationToken ct = default) =>
        (await GoldItemsByIdAsync(setId, ct)).Values.ToList();

    public async Task<GoldItem?> GetRoundItemAsync(string roundId, string itemId, CancellationToken ct = default)
    {
        if (await RoundRulesAsync(roundId, ct) is not { } rules) return null;
        return (await GoldItemsByIdAsync(rules.SetId, ct)).GetValueOrDefault(itemId);
    }

    async Task<IReadOnlyDictionary<string, GoldItem>> GoldItemsByIdAsync(string setId, CancellationToken ct)
    {
        if (_goldItems.TryGetValue(setId, out var cached)) return cached;
        await using var c = await db.OpenReadAsync(ct);
        var rows = await c.QueryAsync<GoldItemRow>(
            """
            SELECT item_id AS ItemId, source_lang AS SourceLang, target_lang AS TargetLang, source AS Source,
                   translation AS Translation, label AS Label, error_type AS ErrorType, explanation AS Explanation
            FROM gold_items WHERE set_id = @setId ORDER BY line
            """, new { setId });
        var items = rows.Select(r => r.ToRecord()).ToDictionary(i => i.Id);
        if (items.Count > 0) _goldItems[setId] = items; // an unknown set is not cached: it may be imported later
        return items;
    }

    // ---------- assessors ----------

    const string AssessorColumns = "SELECT id AS Id, name AS Name, languages AS Languages, created_at AS CreatedAt FROM assessors";

    public async Task<ImportOutcome<IReadOnlyList<StoredAssessor>>> RegisterAssessorsAsync(AssessorBatch batch, CancellationToken ct = default)
    {
        var batchKey = batch.BatchId ?? NewId("batch");
        var replayedKey = await WriteImportAsync(AssessorKind, batch.BatchId, async (c, tx) =>
        {
            var at = NowMs;
            await c.ExecuteAsync(
                "INSERT INTO assessors (id, name, languages, token_hash, batch_id, created_at) VALUES (@Id, @Name, @Languages, @TokenHash, @batchKey, @at)",
                batch.Assessors.Select(a => new { a.Id, a.Name, a.Languages, a.TokenHash, batchKey, at }), tx);
            return batchKey;
        }, ct);
        await using var c = await db.OpenReadAsync(ct);
        var stored = (await c.QueryAsync<AssessorRow>(AssessorColumns + " WHERE batch_id = @key ORDER BY created_at, id",
            new { key = replayedKey ?? batchKey })).Select(r => r.ToRecord()).ToList();
        if (replayedKey is null)
        {
            var order = batch.Assessors.Select((a, i) => (a.Id, i)).ToDictionary(p => p.Id, p => p.i);
            stored = stored.OrderBy(a => order.GetValueOrDefault(a.Id, int.MaxValue)).ToList();
        }
        return new(stored, replayedKey is not null);
    }

    public async Task<IReadOnlyList<StoredAssessor>> ListAssessorsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<AssessorRow>(AssessorColumns + " ORDER BY created_at, id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<StoredAssessor?> GetAssessorAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<AssessorRow>(AssessorColumns + " WHERE id = @id", new { id }))?.ToRecord();
    }

    public async Task<StoredAssessor?> FindAssessorByTokenHashAsync(string tokenHash, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<AssessorRow>(AssessorColumns + " WHERE token_hash = @tokenHash", new { tokenHash }))?.ToRecord();
    }

    public async Task<bool> ReplaceAssessorTokenAsync(string id, string tokenHash, CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE assessors SET token_hash = @tokenHash WHERE id = @id", new { id, tokenHash }, tx), ct) == 1;

    // ---------- rounds ----------

    const string RoundColumns = """
        SELECT r.id AS Id, r.name AS Name, r.gold_set_id AS GoldSetId, r.items_per_assessor AS ItemsPerAssessor,
               r.policy_json AS PolicyJson, r.created_at AS CreatedAt, r.expires_at AS ExpiresAt, r.closed_at AS ClosedAt,
               (SELECT COUNT(*) FROM round_participants p WHERE p.round_id = r.id) AS Participants
        FROM rounds r
        """;

    public async Task<StoredRound> CreateRoundAsync(NewRound round, CancellationToken ct = default)
    {
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(
                """
                INSERT INTO rounds (id, name, gold_set_id, items_per_assessor, policy_json, created_at, expires_at, closed_at)
                VALUES (@Id, @Name, @GoldSetId, @ItemsPerAssessor, @PolicyJson, @CreatedAt, @ExpiresAt, NULL)
                """,
                new
                {
                    round.Id, round.Name, round.GoldSetId, round.ItemsPerAssessor, PolicyJson = JsonSerializer.Serialize(round.Policy),
                    CreatedAt = Ms(round.CreatedAt), ExpiresAt = round.ExpiresAt is { } e ? Ms(e) : (long?)null,
                }, tx);
            await c.ExecuteAsync(
                """
                INSERT INTO round_participants (round_id, assessor_id, item_ids, answered, correct, early_decision, updated_at)
                VALUES (@RoundId, @AssessorId, @ItemIds, 0, 0, NULL, @At)
                """,
                round.Assignments.Select(a => new
                {
                    RoundId = round.Id, a.AssessorId, ItemIds = string.Join(IdSeparator, a.ItemIds), At = Ms(round.CreatedAt),
                }), tx);
            return 0;
        }, ct);
        return await GetRoundAsync(round.Id, ct) ?? throw new InvalidOperationException("round vanished after creation");
    }

    public async Task<StoredRound?> GetRoundAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<RoundRow>(RoundColumns + " WHERE r.id = @id", new { id }))?.ToRecord();
    }

    public async Task<IReadOnlyList<StoredRound>> ListRoundsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<RoundRow>(RoundColumns + " ORDER BY r.created_at, r.id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<bool> CloseRoundAsync(string id, DateTimeOffset now, CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE rounds SET closed_at = @at WHERE id = @id AND closed_at IS NULL", new { id, at = Ms(now) }, tx), ct) == 1;

    const string ParticipantColumns = """
        SELECT p.round_id AS RoundId, p.assessor_id AS AssessorId, p.item_ids AS ItemIds, p.answered AS Answered,
               p.correct AS Correct, p.early_decision AS EarlyDecision
        FROM round_participants p
        """;

    public async Task<ParticipantState?> GetParticipantAsync(string roundId, string assessorId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<ParticipantRow>(
            ParticipantColumns + " WHERE p.round_id = @roundId AND p.assessor_id = @assessorId", new { roundId, assessorId }))?.ToRecord();
    }

    public async Task<(ParticipantState State, RoundStatus Status)?> GetProgressAsync(
        string roundId, string assessorId, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<ParticipantRow>(ProgressQuery(""), new { RoundId = roundId, AssessorId = assessorId });
        if (row is null) return null;
        var state = row.ToRecord();
        RememberProgress(state);
        return (state, row.StatusAt(now));
    }

    void RememberProgress(ParticipantState state)
    {
        if (db.Provider != StorageProvider.Postgres) return;
        if (state.Complete) _knownProgress.TryRemove((state.RoundId, state.AssessorId), out _);
        else
        {
            if (_knownProgress.Count >= MaxKnownProgress) _knownProgress.Clear(); // a hint only: dropping it costs one read each
            _knownProgress[(state.RoundId, state.AssessorId)] = state;
        }
    }

    static string ProgressQuery(string lockClause) => $"""
        SELECT p.round_id AS RoundId, p.assessor_id AS AssessorId, p.item_ids AS ItemIds, p.answered AS Answered,
               p.correct AS Correct, p.early_decision AS EarlyDecision, r.closed_at AS ClosedAt, r.expires_at AS ExpiresAt
        FROM round_participants p JOIN rounds r ON r.id = p.round_id
        WHERE p.round_id = @RoundId AND p.assessor_id = @AssessorId{lockClause}
        """;

    public async Task<IReadOnlyList<ParticipantState>> ListParticipantsAsync(string roundId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<ParticipantRow>(ParticipantColumns + " WHERE p.round_id = @roundId ORDER BY p.assessor_id", new { roundId }))
            .Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<RoundMembership>> ListRoundsOfAssessorAsync(string assessorId, CancellationToken ct = default)
    {
        List<ParticipantState> mine;
        await using (var c = await db.OpenReadAsync(ct))
            mine = (await c.QueryAsync<ParticipantRow>(ParticipantColumns + " WHERE p.assessor_id = @assessorId ORDER BY p.round_id", new { assessorId }))
                .Select(r => r.ToRecord()).ToList();
        var result = new List<RoundMembership>();
        foreach (var p in mine)
            if (await GetRoundAsync(p.RoundId, ct) is { } round) result.Add(new(round, p));
        return result;
    }

    // ---------- answers ----------

    public async Task<AnswerOutcome> RecordAnswerAsync(AnswerSubmission answer, DateTimeOffset now, CancellationToken ct = default)
    {
        // Gold labels and the policy never change, so they are looked up before entering the write.
        var round = await RoundRulesAsync(answer.RoundId, ct);
        if (round is null) return NotInRound(answer);
        var gold = await GoldItemsByIdAsync(round.SetId, ct);
        if (!gold.TryGetValue(answer.ItemId, out var item))
            return AnswerOutcome.Reject(AnswerRejection.ItemNotInRound, $"item '{answer.ItemId}' is not among your items in round '{answer.RoundId}'");

        // SQLite: checked and written inside the single writer's batch, with statements prepared once.
        // PostgreSQL: one conditional statement that writes only if the assessor is still where this node last
        // saw them (a read first when it has not seen them, or the guess was wrong).
        return db.Provider == StorageProvider.Sqlite
            ? await db.WriteAsync((c, tx) => RecordInWriterAsync(c, tx, answer, item.Label, round.Policy, now), ct)
            : await RecordOptimisticallyAsync(answer, item.Label, round, now, ct);
    }

    const string AnswerWrite = """
        INSERT INTO answers (round_id, assessor_id, position, item_id, verdict, error_type, correct, answered_at)
        VALUES (@RoundId, @AssessorId, @Position, @ItemId, @Verdict, @ErrorType, @IsCorrect, @At);
        UPDATE round_participants SET answered = @Answered, correct = @Correct, early_decision = @EarlyDecision, updated_at = @At
        WHERE round_id = @RoundId AND assessor_id = @AssessorId;
        """;

    // The UPDATE matches only if the assessor is still at @Position and the round still open; the INSERT
    // happens only when the UPDATE did, so the statement is all-or-nothing without an explicit transaction.
    const string AnswerWriteIfUnchanged = """
        WITH moved AS (
            UPDATE round_participants p
            SET answered = @Answered, correct = @Correct, early_decision = @EarlyDecision, updated_at = @At
            WHERE p.round_id = @RoundId AND p.assessor_id = @AssessorId AND p.answered = @Position AND p.early_decision IS NULL
              AND EXISTS (SELECT 1 FROM rounds r WHERE r.id = p.round_id AND r.closed_at IS NULL)
            RETURNING 1)
        INSERT INTO answers (round_id, assessor_id, position, item_id, verdict, error_type, correct, answered_at)
        SELECT @RoundId, @AssessorId, @Position, @ItemId, @Verdict, @ErrorType, @IsCorrect, @At FROM moved
        """;

    static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> PreparedOn = new();

    /// <summary>A command kept with its long-lived connection (the SQLite writer), so its statements are prepared once.</summary>
    static DbCommand Prepared(DbConnection c, DbTransaction tx, string sql)
    {
        var cache = PreparedOn.GetOrCreateValue(c);
        if (!cache.TryGetValue(sql, out var cmd))
        {
            cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cache[sql] = cmd;
        }
        cmd.Transaction = tx;
        return cmd;
    }

    /// <summary>
    /// The type is set explicitly so a null keeps its column's type: Npgsql reuses a prepared statement only
    /// while parameter types match, and a null error type otherwise re-prepares it (seen with perf).
    /// </summary>
    static void Bind(DbCommand cmd, string name, object? value, DbType type)
    {
        if (!cmd.Parameters.Contains(name))
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            cmd.Parameters.Add(p);
        }
        cmd.Parameters[name].Value = value ?? DBNull.Value;
    }

    static void BindAnswer(DbCommand cmd, AnswerSubmission a, ParticipantState before, ParticipantState after, bool isCorrect, DateTimeOffset now)
    {
        Bind(cmd, "@RoundId", a.RoundId, DbType.String);
        Bind(cmd, "@AssessorId", a.AssessorId, DbType.String);
        Bind(cmd, "@Position", before.Answered, DbType.Int32);
        Bind(cmd, "@ItemId", a.ItemId, DbType.String);
        Bind(cmd, "@Verdict", a.Verdict.ToCode(), DbType.String);
        Bind(cmd, "@ErrorType", a.ErrorType, DbType.String);
        Bind(cmd, "@IsCorrect", isCorrect ? 1 : 0, DbType.Int32);
        Bind(cmd, "@At", Ms(now), DbType.Int64);
        Bind(cmd, "@Answered", after.Answered, DbType.Int32);
        Bind(cmd, "@Correct", after.Correct, DbType.Int32);
        Bind(cmd, "@EarlyDecision", DecisionText(after.EarlyDecision), DbType.String);
    }

    static async Task<AnswerOutcome> RecordInWriterAsync(
        DbConnection c, DbTransaction tx, AnswerSubmission answer, Verdict goldLabel, QualificationPolicy policy, DateTimeOffset now)
    {
        var read = Prepared(c, tx, ProgressQuery(""));
        Bind(read, "@RoundId", answer.RoundId, DbType.String);
        Bind(read, "@AssessorId", answer.AssessorId, DbType.String);
        ParticipantRow? row = null;
        await using (var reader = await read.ExecuteReaderAsync())
            if (await reader.ReadAsync()) row = ParticipantRow.From(reader);
        if (row is null) return NotInRound(answer);

        var state = row.ToRecord();
        var outcome = AnswerRules.Apply(state, row.StatusAt(now), answer, goldLabel, policy);
        if (!outcome.Accepted) return outcome;
        var write = Prepared(c, tx, AnswerWrite);
        BindAnswer(write, answer, state, outcome.Progress!, answer.Verdict == goldLabel, now);
        await write.ExecuteNonQueryAsync();
        return outcome;
    }

    async Task<AnswerOutcome> RecordOptimisticallyAsync(
        AnswerSubmission answer, Verdict goldLabel, RoundRules round, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenReadAsync(ct);
        if (_knownProgress.TryGetValue((answer.RoundId, answer.AssessorId), out var known))
        {
            var expired = round.ExpiresAtMs is { } e && e <= Ms(now);
            var guess = AnswerRules.Apply(known, expired ? RoundStatus.Expired : RoundStatus.Open, answer, goldLabel, round.Policy);
            if (guess.Accepted && await TryWriteAnswerAsync(c, answer, known, guess, goldLabel, now, ct))
            {
                RememberProgress(guess.Progress!);
                return guess;
            }
            // Rejected or beaten by another request/node on a possibly stale entry: judge again from the database.
        }
        while (true)
        {
            var row = await c.QuerySingleOrDefaultAsync<ParticipantRow>(ProgressQuery(""), new { answer.RoundId, answer.AssessorId });
            if (row is null) return NotInRound(answer);
            var state = row.ToRecord();
            RememberProgress(state);
            var outcome = AnswerRules.Apply(state, row.StatusAt(now), answer, goldLabel, round.Policy);
            if (!outcome.Accepted) return outcome;
            if (await TryWriteAnswerAsync(c, answer, state, outcome, goldLabel, now, ct))
            {
                RememberProgress(outcome.Progress!);
                return outcome;
            }
            // Another request moved this assessor (or the round closed) between the read and the write: judge again.
        }
    }

    /// <summary>Writes the answer only if the assessor is still where <paramref name="before"/> says and the round is open.</summary>
    static async Task<bool> TryWriteAnswerAsync(
        DbConnection c, AnswerSubmission answer, ParticipantState before, AnswerOutcome outcome, Verdict goldLabel, DateTimeOffset now, CancellationToken ct)
    {
        await using var write = c.CreateCommand();
        write.CommandText = AnswerWriteIfUnchanged;
        BindAnswer(write, answer, before, outcome.Progress!, answer.Verdict == goldLabel, now);
        return await write.ExecuteNonQueryAsync(ct) == 1;
    }

    static AnswerOutcome NotInRound(AnswerSubmission a) =>
        AnswerOutcome.Reject(AnswerRejection.NotInRound, $"you are not a participant of round '{a.RoundId}' (or it does not exist)");

    /// <summary>What never changes about a round once it is opened (closing it is checked in the database).</summary>
    sealed record RoundRules(string SetId, QualificationPolicy Policy, long? ExpiresAtMs);

    async Task<RoundRules?> RoundRulesAsync(string roundId, CancellationToken ct)
    {
        if (_rounds.TryGetValue(roundId, out var cached)) return cached;
        var round = await GetRoundAsync(roundId, ct);
        if (round is null) return null;
        return _rounds[roundId] = new(round.GoldSetId, round.Policy, round.ExpiresAt is { } e ? Ms(e) : null);
    }

    public async Task<IReadOnlyList<StoredAnswer>> ListAnswersAsync(string roundId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var rows = await c.QueryAsync<AnswerRow>(
            """
            SELECT assessor_id AS AssessorId, position AS Position, item_id AS ItemId, verdict AS Verdict,
                   error_type AS ErrorType, answered_at AS AnsweredAt
            FROM answers WHERE round_id = @roundId ORDER BY assessor_id, position
            """, new { roundId });
        return rows.Select(r => new StoredAnswer(r.AssessorId, (int)r.Position, r.ItemId, ParseVerdict(r.Verdict), r.ErrorType, At(r.AnsweredAt))).ToList();
    }

    // ---------- shared pieces ----------

    /// <summary>
    /// Runs an import in one transaction, recording its batch id. Returns the earlier result id when the
    /// batch was already imported (nothing is written then), or null after a fresh import.
    /// </summary>
    async Task<string?> WriteImportAsync(string kind, string? batchId, Func<DbConnection, DbTransaction, Task<string>> import, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await db.WriteAsync(async (c, tx) =>
                {
                    if (batchId is not null)
                    {
                        var earlier = await c.QuerySingleOrDefaultAsync<string>(
                            "SELECT result_id FROM import_batches WHERE kind = @kind AND batch_id = @batchId", new { kind, batchId }, tx);
                        if (earlier is not null) return earlier;
                    }
                    var resultId = await import(c, tx);
                    if (batchId is not null)
                        await c.ExecuteAsync("INSERT INTO import_batches (batch_id, kind, result_id, created_at) VALUES (@batchId, @kind, @resultId, @at)",
                            new { batchId, kind, resultId, at = NowMs }, tx);
                    return (string?)null;
                }, ct);
            }
            catch (DbException e) when (attempt == 0 && batchId is not null && db.IsUniqueViolation(e))
            {
                // Another node imported the same batch at the same moment: the retry finds and replays it.
            }
        }
    }

    public static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 1 + 16)];

    static Verdict ParseVerdict(string s) => Verdicts.TryParse(s, out var v) ? v : throw new InvalidDataException($"stored verdict '{s}' is not good/bad");

    static string? DecisionText(QualificationDecision? d) => d switch
    {
        QualificationDecision.Pass => "pass",
        QualificationDecision.Fail => "fail",
        _ => null,
    };

    static QualificationDecision? ParseDecision(string? s) => s switch
    {
        "pass" => QualificationDecision.Pass,
        "fail" => QualificationDecision.Fail,
        _ => null,
    };

    public ValueTask DisposeAsync() => db.DisposeAsync();

    // Row classes: Dapper fills properties, converting SQLite's Int64 and PostgreSQL's Int32 alike.
    sealed class GoldSetRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public long CreatedAt { get; set; }
        public long ItemCount { get; set; }
        public long GoodCount { get; set; }
        public StoredGoldSet ToRecord() => new(Id, Name, (int)ItemCount, (int)GoodCount, (int)(ItemCount - GoodCount), At(CreatedAt));
    }

    sealed class GoldItemRow
    {
        public string ItemId { get; set; } = "";
        public string SourceLang { get; set; } = "";
        public string TargetLang { get; set; } = "";
        public string Source { get; set; } = "";
        public string Translation { get; set; } = "";
        public string Label { get; set; } = "";
        public string? ErrorType { get; set; }
        public string? Explanation { get; set; }
        public GoldItem ToRecord() => new(ItemId, SourceLang, TargetLang, Source, Translation, ParseVerdict(Label), ErrorType, Explanation);
    }

    sealed class AssessorRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Languages { get; set; }
        public long CreatedAt { get; set; }
        public StoredAssessor ToRecord() => new(Id, Name, Languages, At(CreatedAt));
    }

    sealed class RoundRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string GoldSetId { get; set; } = "";
        public long ItemsPerAssessor { get; set; }
        public string PolicyJson { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? ExpiresAt { get; set; }
        public long? ClosedAt { get; set; }
        public long Participants { get; set; }
        public StoredRound ToRecord() => new(Id, Name, GoldSetId, (int)ItemsPerAssessor,
            JsonSerializer.Deserialize<QualificationPolicy>(PolicyJson)!, At(CreatedAt),
            ExpiresAt is { } e ? At(e) : null, ClosedAt is { } c ? At(c) : null, (int)Participants);
    }

    sealed class ParticipantRow
    {
        public string RoundId { get; set; } = "";
        public string AssessorId { get; set; } = "";
        public string ItemIds { get; set; } = "";
        public long Answered { get; set; }
        public long Correct { get; set; }
        public string? EarlyDecision { get; set; }
        public long? ClosedAt { get; set; }
        public long? ExpiresAt { get; set; }
        public static ParticipantRow From(DbDataReader r) => new()
        {
            RoundId = r.GetString(0), AssessorId = r.GetString(1), ItemIds = r.GetString(2), Answered = r.GetInt64(3), Correct = r.GetInt64(4),
            EarlyDecision = r.IsDBNull(5) ? null : r.GetString(5), ClosedAt = r.IsDBNull(6) ? null : r.GetInt64(6),
            ExpiresAt = r.IsDBNull(7) ? null : r.GetInt64(7),
        };

        public RoundStatus StatusAt(DateTimeOffset now) =>
            ClosedAt is not null ? RoundStatus.Closed : ExpiresAt is { } e && e <= Ms(now) ? RoundStatus.Expired : RoundStatus.Open;
        public ParticipantState ToRecord() => new(RoundId, AssessorId,
            ItemIds.Length == 0 ? [] : ItemIds.Split(IdSeparator), (int)Answered, (int)Correct, ParseDecision(EarlyDecision));
    }

    sealed class AnswerRow
    {
        public string AssessorId { get; set; } = "";
        public long Position { get; set; }
        public string ItemId { get; set; } = "";
        public string Verdict { get; set; } = "";
        public string? ErrorType { get; set; }
        public long AnsweredAt { get; set; }
    }
}
