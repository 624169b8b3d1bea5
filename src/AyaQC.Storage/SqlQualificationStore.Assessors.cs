using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using AyaQC.Core.Qualification;
using Dapper;
using static AyaQC.Storage.StoredValues;

namespace AyaQC.Storage;

// Assessors: only token hashes are stored.
public sealed partial class SqlQualificationStore
{
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

    public async Task<StoredAssessorRecord?> GetAssessorRecordAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<AssessorRow>(
            "SELECT id AS Id, name AS Name, languages AS Languages, created_at AS CreatedAt, token_hash AS TokenHash, suspended_at AS SuspendedAt FROM assessors WHERE id = @id",
            new { id });
        if (row is null) return null;
        var skills = (await c.QueryAsync<(string Skill, double Estimate)>(
            "SELECT skill, estimate FROM assessor_skills WHERE assessor_id = @id ORDER BY skill", new { id })).ToDictionary(s => s.Skill, s => s.Estimate);
        return new(row.ToRecord(), row.TokenHash ?? "", row.SuspendedAt is { } s ? At(s) : null, skills);
    }

    public async Task<bool> SetAssessorSuspendedAsync(string id, DateTimeOffset? since, CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE assessors SET suspended_at = @at WHERE id = @id",
            new { id, at = since is { } t ? Ms(t) : (long?)null }, tx), ct) == 1;

    public Task SetAssessorSkillAsync(string id, string skill, double estimate, DateTimeOffset at, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            """
            INSERT INTO assessor_skills (assessor_id, skill, estimate, updated_at) VALUES (@id, @skill, @estimate, @at)
            ON CONFLICT (assessor_id, skill) DO UPDATE SET estimate = excluded.estimate, updated_at = excluded.updated_at
            """, new { id, skill, estimate, at = Ms(at) }, tx), ct);
}
