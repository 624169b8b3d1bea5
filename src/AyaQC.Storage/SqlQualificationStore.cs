using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using AyaQC.Core.Qualification;
using AyaQC.Storage.Schema;
using Dapper;
using static AyaQC.Storage.StoredValues;

namespace AyaQC.Storage;

/// <summary>
/// The qualification store in plain SQL (Dapper), shared by SQLite and PostgreSQL.
/// Gold items and round policies never change once written, so they are cached after the first read.
/// One file per thing it holds (gold sets, assessors, rounds, answers); row mapping in StoredRows.cs, and what
/// differs between SQLite and PostgreSQL in their <see cref="SqlDatabase"/> classes.
/// </summary>
public sealed partial class SqlQualificationStore(SqlDatabase db) : IQualificationStore
{
    const string GoldSetKind = "gold_set", AssessorKind = "assessors";

    readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, GoldItem>> _goldItems = new();
    readonly ConcurrentDictionary<string, RoundRules> _rounds = new();

    public StorageProvider Provider => db.Provider;
    public string Durability => db.DurabilitySettings;

    public async Task InitializeAsync(CancellationToken ct = default) => await UpgradeToAsync(SchemaMigrations.Latest, ct);

    /// <summary>Upgrades only up to <paramref name="version"/>; tests use it to build an older database.</summary>
    public async Task UpgradeToAsync(int version, CancellationToken ct = default)
    {
        await using var conn = await db.OpenForUpgradeAsync(ct);
        await SchemaUpgrader.UpgradeAsync(conn, db.Provider, db.LockForUpgradeAsync, version, ct);
    }

    /// <summary>Records a step as applied without running anything (tests: a step that landed from another branch).</summary>
    public async Task RecordSchemaStepForTestAsync(int version, string description)
    {
        await using var conn = await db.OpenForUpgradeAsync(CancellationToken.None);
        await SchemaUpgrader.CurrentVersionAsync(conn);
        await conn.ExecuteAsync("INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, 0)", new { version, description });
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken ct = default)
    {
        await using var conn = await db.OpenReadAsync(ct);
        return await SchemaUpgrader.CurrentVersionAsync(conn);
    }

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

    public async Task<string?> AdminKeyNameAsync(string keyHash, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<string>("SELECT name FROM admin_keys WHERE key_hash = @keyHash", new { keyHash });
    }

    public async Task<int> CountAdminKeysAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM admin_keys");
    }

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

    public ValueTask DisposeAsync() => db.DisposeAsync();
}
