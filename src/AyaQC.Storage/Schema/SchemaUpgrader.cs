using System.Data.Common;
using Dapper;

namespace AyaQC.Storage.Schema;

/// <summary>Brings a database up to a schema version, one recorded step per transaction.</summary>
public static class SchemaUpgrader
{
    public const string VersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at BIGINT NOT NULL)
        """;

    public static async Task<int> CurrentVersionAsync(DbConnection conn, DbTransaction? tx = null)
    {
        await conn.ExecuteAsync(VersionTable, transaction: tx);
        return await conn.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version", transaction: tx) ?? 0;
    }

    /// <summary>Applies every step up to <paramref name="target"/> that the database has not recorded yet, in order.
    /// Steps are independent of each other's numbers, so a step merged later with a lower number still runs.</summary>
    /// <exception cref="StoreConflictException">The database was written by a newer AyaQC.</exception>
    public static async Task UpgradeAsync(
        DbConnection conn, StorageProvider provider, Func<DbConnection, DbTransaction, Task> lockForUpgrade, int target, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        await lockForUpgrade(conn, tx); // another server node may be upgrading the same database
        var current = await CurrentVersionAsync(conn, tx);
        if (current > SchemaMigrations.Latest)
            throw new StoreConflictException(
                $"the database has schema version {current}, newer than this AyaQC knows ({SchemaMigrations.Latest}); upgrade AyaQC instead");
        var applied = (await conn.QueryAsync<int>("SELECT version FROM schema_version", transaction: tx)).ToHashSet();
        foreach (var step in SchemaMigrations.All.Where(m => !applied.Contains(m.Version) && m.Version <= target))
        {
            foreach (var sql in step.Statements.Concat(provider == StorageProvider.Postgres ? step.PostgresStatements ?? [] : []))
                await conn.ExecuteAsync(sql, transaction: tx);
            await conn.ExecuteAsync(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (@Version, @Description, @At)",
                new { step.Version, step.Description, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx);
        }
        await tx.CommitAsync(ct);
    }
}
