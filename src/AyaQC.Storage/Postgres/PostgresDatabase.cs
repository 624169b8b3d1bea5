using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace AyaQC.Storage.Postgres;

/// <summary>PostgreSQL through a pooled Npgsql data source; concurrent writers are serialized by row locks.</summary>
public sealed class PostgresDatabase : SqlDatabase
{
    readonly NpgsqlDataSource _source;
    readonly PostgresGroupCommit _commits;
    readonly NpgsqlDataSource _unshared;

    public PostgresDatabase(string connectionString)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (csb.MaxAutoPrepare == 0) csb.MaxAutoPrepare = 32; // the hot statements become server-side prepared
        // Prepared statements are otherwise planned again on every execution while PostgreSQL weighs custom plans
        // (seen with perf: a quarter of the server's time); ours are key lookups, for which the generic plan is right.
        if (!(csb.Options ?? "").Contains("plan_cache_mode", StringComparison.Ordinal))
            csb.Options = ((csb.Options ?? "") + " -c plan_cache_mode=force_generic_plan").Trim();
        // Many short autocommit statements from many requests: multiplexing pipelines them over few connections.
        if (!connectionString.Contains("multiplexing", StringComparison.OrdinalIgnoreCase)) csb.Multiplexing = true;
        _source = NpgsqlDataSource.Create(csb.ConnectionString);
        // The group-commit writers and bulk copies hold their connections, which multiplexing does not lend out.
        _unshared = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(csb.ConnectionString) { Multiplexing = false }.ConnectionString);
        _commits = new PostgresGroupCommit(_unshared);
    }

    public override StorageProvider Provider => StorageProvider.Postgres;
    public override string DurabilitySettings => "PostgreSQL, synchronous_commit as the server sets it (default on: each commit flushed to disk before it is acknowledged); answers and votes group-committed, one transaction per batch";

    public override async Task<bool> CommitAnswerAsync(AnswerWrite write, CancellationToken ct) =>
        (await _commits.CommitAsync([new SqlStatement(AnswerStatements.MoveThenInsert, AnswerStatements.Args(write))], ct))[0] == 1;

    public override Task CommitGroupedAsync(IReadOnlyList<SqlStatement> statements, CancellationToken ct) => _commits.CommitAsync(statements, ct);

    /// <summary>Binary COPY in a transaction: all rows or none.</summary>
    public override async Task BulkInsertAsync(string table, IReadOnlyList<BulkColumn> columns, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        await using var conn = await _unshared.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var types = columns.Select(k => CopyType(k.Type)).ToArray();
        await using (var copy = await conn.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns.Select(k => k.Name))}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync(ct);
                for (var i = 0; i < types.Length; i++)
                    if (row[i] is null) await copy.WriteNullAsync(ct);
                    else await copy.WriteAsync(row[i], types[i], ct);
            }
            await copy.CompleteAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    static NpgsqlDbType CopyType(DbType type) => type switch
    {
        DbType.String => NpgsqlDbType.Text,
        DbType.Int64 => NpgsqlDbType.Bigint,
        DbType.Int32 => NpgsqlDbType.Integer,
        DbType.Double => NpgsqlDbType.Double,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no COPY type for it"),
    };

    public override async Task<DbConnection> OpenReadAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var conn = await _source.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await work(conn, tx);
        await tx.CommitAsync(ct);
        return result;
    }

    public override Task LockForUpgradeAsync(DbConnection conn, DbTransaction tx) =>
        conn.ExecuteAsync("SELECT pg_advisory_xact_lock(728461)", transaction: tx);

    public override Task<DbConnection> OpenForUpgradeAsync(CancellationToken ct) => OpenReadAsync(ct);

    public override bool IsUniqueViolation(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override async ValueTask DisposeAsync()
    {
        await _commits.DisposeAsync();
        await _source.DisposeAsync();
    }
}
