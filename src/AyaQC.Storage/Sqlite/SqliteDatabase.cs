using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace AyaQC.Storage.Sqlite;

/// <summary>
/// An SQLite file in WAL mode. All writes go through one <see cref="SqliteWriteQueue"/> (SQLite has one
/// writer anyway); reads use pooled connections, which WAL lets run beside the writer.
/// </summary>
public sealed class SqliteDatabase : SqlDatabase
{
    readonly string _connectionString;
    readonly SqliteWriteQueue _writes;

    public SqliteDatabase(string connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (csb.DefaultTimeout < 30) csb.DefaultTimeout = 30;
        var dir = Path.GetDirectoryName(Path.GetFullPath(csb.DataSource));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _connectionString = csb.ToString();
        _writes = new SqliteWriteQueue(OpenWriter());
    }

    public override StorageProvider Provider => StorageProvider.Sqlite;
    public override string DurabilitySettings => "SQLite file, WAL, synchronous=FULL (each commit fsynced), one writer committing concurrent writes in one transaction";
    public string ConnectionString => _connectionString;

    SqliteConnection OpenWriter()
    {
        var conn = new SqliteConnection(_connectionString);
        conn.Open();
        using var cmd = conn.CreateCommand();
        // WAL + FULL: a commit is fsynced before it is acknowledged, so it survives a crash of the machine; the
        // single writer commits everything queued meanwhile in one transaction (group commit), one fsync for all.
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
        cmd.ExecuteNonQuery();
        return conn;
    }

    public override async Task<DbConnection> OpenReadAsync(CancellationToken ct)
    {
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct);
        return conn;
    }

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct) =>
        _writes.EnqueueAsync(work, ct);

    public override Task<bool> CommitAnswerAsync(AnswerWrite write, CancellationToken ct) =>
        _writes.EnqueueAsync(async (c, tx) =>
        {
            var args = AnswerStatements.Args(write);
            if (await Run(c, tx, new SqlStatement(AnswerStatements.Move, args)) != 1) return false;
            await Run(c, tx, new SqlStatement(AnswerStatements.Insert, args));
            return true;
        }, ct);

    public override Task CommitGroupedAsync(IReadOnlyList<SqlStatement> statements, CancellationToken ct) =>
        _writes.EnqueueAsync(async (c, tx) =>
        {
            foreach (var s in statements) await Run(c, tx, s);
            return 0;
        }, ct);

    /// <summary>One prepared command for all rows, in one transaction on the writer (so after the writes queued before it).</summary>
    public override Task BulkInsertAsync(string table, IReadOnlyList<BulkColumn> columns, IEnumerable<object?[]> rows, CancellationToken ct) =>
        _writes.EnqueueAsync(async (c, tx) =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(k => k.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
            var ps = columns.Select((k, i) =>
            {
                var p = cmd.CreateParameter();
                (p.ParameterName, p.DbType) = ("@p" + i, k.Type);
                cmd.Parameters.Add(p);
                return p;
            }).ToArray();
            foreach (var row in rows)
            {
                for (var i = 0; i < ps.Length; i++) ps[i].Value = row[i] ?? DBNull.Value;
                await cmd.ExecuteNonQueryAsync(ct);
            }
            return 0;
        }, ct);

    static Task<int> Run(DbConnection c, DbTransaction tx, SqlStatement s)
    {
        var cmd = SqlStatement.Prepared(c, tx, s.Sql);
        s.BindTo(cmd.Parameters, cmd.CreateParameter);
        return cmd.ExecuteNonQueryAsync();
    }

    public override Task LockForUpgradeAsync(DbConnection conn, DbTransaction tx) => Task.CompletedTask;

    public override Task<DbConnection> OpenForUpgradeAsync(CancellationToken ct) => OpenReadAsync(ct);

    public override bool IsUniqueViolation(DbException e) => e is SqliteException { SqliteErrorCode: 19 };

    public override async ValueTask DisposeAsync()
    {
        await _writes.DisposeAsync();
        SqliteConnection.ClearAllPools(); // release the file so it can be moved or deleted
    }
}
