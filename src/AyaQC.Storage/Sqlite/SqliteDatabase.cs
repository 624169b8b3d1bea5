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
            var move = AnswerStatements.Prepared(c, tx, AnswerStatements.Move);
            AnswerStatements.Bind(move.Parameters, move.CreateParameter, write);
            if (await move.ExecuteNonQueryAsync() != 1) return false;
            var insert = AnswerStatements.Prepared(c, tx, AnswerStatements.Insert);
            AnswerStatements.Bind(insert.Parameters, insert.CreateParameter, write);
            await insert.ExecuteNonQueryAsync();
            return true;
        }, ct);

    public override Task LockForUpgradeAsync(DbConnection conn, DbTransaction tx) => Task.CompletedTask;

    public override Task<DbConnection> OpenForUpgradeAsync(CancellationToken ct) => OpenReadAsync(ct);

    public override bool IsUniqueViolation(DbException e) => e is SqliteException { SqliteErrorCode: 19 };

    public override async ValueTask DisposeAsync()
    {
        await _writes.DisposeAsync();
        SqliteConnection.ClearAllPools(); // release the file so it can be moved or deleted
    }
}
