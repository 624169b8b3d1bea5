using System.Data.Common;
using System.Text;
using System.Text.Json;
using AyaQC.Core.Datasets;
using Dapper;

namespace AyaQC.Storage.Datasets;

/// <summary>Multi-row INSERTs of dataset rows (one statement per batch, reused while batches are full); a row whose
/// id the dataset already holds is skipped by the database and reported by <see cref="DuplicatesAsync"/>.</summary>
sealed class RowInsert(DbConnection c, DbTransaction tx, string datasetId) : IDisposable
{
    const int Columns = 11;
    DbCommand? _full;
    int _fullSize;

    public async Task<int> RunAsync(List<(long Seq, DatasetRecord Row)> batch, CancellationToken ct)
    {
        DbCommand cmd;
        if (_full is not null && _fullSize == batch.Count) cmd = _full;
        else
        {
            cmd = Build(batch.Count);
            if (_full is null) { _full = cmd; _fullSize = batch.Count; }
        }
        for (var i = 0; i < batch.Count; i++)
        {
            var (seq, r) = batch[i];
            var p = cmd.Parameters;
            var o = i * Columns + 1;
            p[o].Value = (int)seq;
            p[o + 1].Value = r.Id;
            p[o + 2].Value = r.Line;
            p[o + 3].Value = r.SourceLang;
            p[o + 4].Value = r.TargetLang;
            p[o + 5].Value = r.Source;
            p[o + 6].Value = r.Translation;
            p[o + 7].Value = (object?)r.PostEdit ?? DBNull.Value;
            p[o + 8].Value = (object?)r.Label ?? DBNull.Value;
            p[o + 9].Value = r.Signals is null ? DBNull.Value : JsonSerializer.Serialize(r.Signals);
            p[o + 10].Value = (object?)r.MetadataJson ?? DBNull.Value;
        }
        try { return await cmd.ExecuteNonQueryAsync(ct); }
        finally { if (cmd != _full) await cmd.DisposeAsync(); }
    }

    DbCommand Build(int rows)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        var sql = new StringBuilder("INSERT INTO dataset_rows (dataset_id, seq, row_id, line, source_lang, target_lang, source, translation, post_edit, label, signals_json, metadata_json) VALUES ");
        Add(cmd, "@d", datasetId, System.Data.DbType.String);
        for (var i = 0; i < rows; i++)
        {
            sql.Append(i == 0 ? "(@d" : ",(@d");
            for (var k = 0; k < Columns; k++)
            {
                var name = $"@p{i * Columns + k}";
                sql.Append(',').Append(name);
                Add(cmd, name, DBNull.Value, k is 0 or 2 ? System.Data.DbType.Int32 : System.Data.DbType.String);
            }
            sql.Append(')');
        }
        sql.Append(" ON CONFLICT (dataset_id, row_id) DO NOTHING");
        cmd.CommandText = sql.ToString();
        return cmd;
    }

    static void Add(DbCommand cmd, string name, object value, System.Data.DbType type)
    {
        var p = cmd.CreateParameter();
        p.DbType = type; // typed, so PostgreSQL keeps one plan whether a value is null or not
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    /// <summary>The batch's rows the database skipped because an earlier line took their id, each named with both lines.</summary>
    public async Task<List<RowProblem>> DuplicatesAsync(List<(long Seq, DatasetRecord Row)> batch, CancellationToken ct)
    {
        var inserted = (await c.QueryAsync<long>("SELECT seq FROM dataset_rows WHERE dataset_id = @datasetId AND seq >= @first",
            new { datasetId, first = (int)batch[0].Seq }, tx)).ToHashSet();
        var problems = new List<RowProblem>();
        foreach (var (seq, row) in batch.Where(b => !inserted.Contains(b.Seq)))
        {
            var line = await c.ExecuteScalarAsync<long>("SELECT line FROM dataset_rows WHERE dataset_id = @datasetId AND row_id = @Id",
                new { datasetId, row.Id }, tx);
            problems.Add(new RowProblem(row.Line, "id", $"'{row.Id}' repeats line {line}"));
        }
        return problems;
    }

    public void Dispose() => _full?.Dispose();

}
