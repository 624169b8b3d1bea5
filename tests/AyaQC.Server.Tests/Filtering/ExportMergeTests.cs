using System.Buffers;
using System.Text.Json;
using AyaQC.Server.Apis;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage;
using AyaQC.Storage.Filtering;
using AyaQC.Storage.Sqlite;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Data.Sqlite;

namespace AyaQC.Server.Tests.Filtering;

/// <summary>
/// The SQLite export reads rows and decisions as two scans merged by seq; here it must give what one LEFT JOIN of the
/// two tables gives (the PostgreSQL path), for any mix of undecided, decided and overridden rows, null and empty texts,
/// any cursor, decision filter and limit.
/// </summary>
public sealed class ExportMergeTests : IAsyncLifetime
{
    const string Join = """
        SELECT r.seq, r.row_id, r.source_lang, r.target_lang, r.source, r.translation, r.post_edit, r.metadata_json,
               COALESCE(d.override_decision, d.decision), d.override_decision, d.p_good, d.reasons, d.signature, d.votes, d.chrf, d.hter
        FROM dataset_rows r LEFT JOIN row_decisions d ON d.dataset_id = r.dataset_id AND d.seq = r.seq
        WHERE r.dataset_id = @datasetId AND r.seq > @after AND (@decision IS NULL OR COALESCE(d.override_decision, d.decision) = @decision)
        ORDER BY r.seq LIMIT @limit
        """;

    static readonly string?[] Texts = [null, "", "plain", "Sema \"habari\",\nrafiki", "<b>&'x'</b> caf\u00e9 \u4e2d \ud83d\ude00", "\\ \t \u0001"];
    static readonly string?[] DecisionsOrNone = [null, "keep", "drop", "review"];

    string _connectionString = "";
    SqliteDatabase? _db;
    int _datasets;

    public async Task InitializeAsync()
    {
        var options = await TestDatabases.CreateAsync(TestDatabases.Sqlite);
        await using (var store = (SqlQualificationStore)options.CreateStore()) await store.InitializeAsync();
        _connectionString = options.ConnectionString;
        _db = new SqliteDatabase(_connectionString);
    }

    public async Task DisposeAsync()
    {
        if (_db is not null) await _db.DisposeAsync();
    }

    [Property(MaxTest = 120)]
    public Property The_merged_scans_give_the_join(PositiveInt seed, byte rows, byte after, byte filter, byte limit)
    {
        var random = new Random(seed.Get);
        var datasetId = $"ds{Interlocked.Increment(ref _datasets)}";
        var n = rows % 40;
        using (var c = new SqliteConnection(_connectionString))
        {
            c.Open();
            using var tx = c.BeginTransaction();
            Execute(c, tx, "INSERT INTO datasets (id, name, format, row_count, labelled_count, signal_columns, metadata_columns, created_at) VALUES (@id, @id, 'jsonl', 0, 0, '[]', '[]', 0)",
                ("id", datasetId));
            var seq = 0L;
            for (var i = 0; i < n; i++)
            {
                seq += 1 + random.Next(3) / 2; // gaps in seq now and then
                Execute(c, tx, "INSERT INTO dataset_rows (dataset_id, seq, row_id, line, source_lang, target_lang, source, translation, post_edit, metadata_json) VALUES (@d, @s, @r, @s, 'eng_Latn', @t, @src, @tr, @pe, @m)",
                    ("d", datasetId), ("s", seq), ("r", $"r{seq}"), ("t", random.Next(4) == 0 ? "yor_Latn" : "swh_Latn"), ("src", Texts[random.Next(2, Texts.Length)]),
                    ("tr", Texts[random.Next(1, Texts.Length)]), ("pe", Texts[random.Next(Texts.Length)]),
                    ("m", random.Next(3) == 0 ? null : JsonSerializer.Serialize(new Dictionary<string, string?> { ["user_id"] = Texts[random.Next(Texts.Length)] })));
                var model = DecisionsOrNone[random.Next(DecisionsOrNone.Length)];
                var overrideDecision = random.Next(4) == 0 ? DecisionsOrNone[random.Next(1, DecisionsOrNone.Length)] : null;
                if (model is null && overrideDecision is null && random.Next(2) == 0) continue; // undecided: no decision row
                var scored = random.Next(3) > 0;
                Execute(c, tx, "INSERT INTO row_decisions (dataset_id, seq, row_id, decision, p_good, reasons, signature, votes, chrf, hter, override_decision) VALUES (@d, @s, @r, @dec, @p, @why, @sig, @v, @chrf, @hter, @o)",
                    ("d", datasetId), ("s", seq), ("r", $"r{seq}"), ("dec", model), ("p", scored ? Math.Round(random.NextDouble(), 4) : null),
                    ("why", Texts[random.Next(Texts.Length)]), ("sig", scored ? "agree|model:lightgbm" : null), ("v", scored ? random.Next(7) : null),
                    ("chrf", scored ? random.NextDouble() * 100 : null), ("hter", random.Next(2) == 0 ? null : random.NextDouble()), ("o", overrideDecision));
            }
            tx.Commit();
        }
        var decision = DecisionsOrNone[filter % DecisionsOrNone.Length];
        var from = after % (n + 3);
        long? take = limit % 3 == 0 ? null : 1 + limit % 25;

        var merged = Read(new DecisionStore(_db!).OpenExportAsync(datasetId, from, decision, take).GetAwaiter().GetResult());
        var joined = new SqliteConnection(_connectionString);
        joined.Open();
        var cmd = joined.CreateCommand();
        cmd.CommandText = Join;
        cmd.Parameters.AddWithValue("@datasetId", datasetId);
        cmd.Parameters.AddWithValue("@after", from);
        cmd.Parameters.AddWithValue("@decision", (object?)decision ?? DBNull.Value);
        cmd.Parameters.AddWithValue("@limit", take ?? -1);
        var expected = Read(ExportReader.Over(cmd.ExecuteReader(), joined));
        return (merged.Rows.SequenceEqual(expected.Rows) && merged.Json.SequenceEqual(expected.Json))
            .Label($"{n} rows, after {from}, decision {decision ?? "all"}, limit {take}: merged {merged.Rows.Count} rows, joined {expected.Rows.Count}");
    }

    /// <summary>Every row as a record (strings) and as the export's JSON bytes.</summary>
    static (List<ExportRow> Rows, List<string> Json) Read(ExportReader reader)
    {
        var rows = new List<ExportRow>();
        var json = new List<string>();
        var writer = new ExportJsonWriter();
        while (reader.ReadAsync(default).AsTask().GetAwaiter().GetResult())
        {
            var buffer = new ArrayBufferWriter<byte>();
            writer.Write(buffer, reader);
            json.Add(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
            rows.Add(reader.Row());
        }
        reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return (rows, json);
    }

    static void Execute(SqliteConnection c, SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue("@" + name, value ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }
}
