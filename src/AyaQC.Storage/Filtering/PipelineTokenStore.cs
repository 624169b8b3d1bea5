using Dapper;

namespace AyaQC.Storage.Filtering;

public sealed record StoredPipelineToken(string Id, string Name, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>Pipeline tokens (<c>aqp_…</c>): only their SHA-256 is stored; a revoked token stops working.</summary>
public sealed class PipelineTokenStore(SqlDatabase db)
{
    public async Task<StoredPipelineToken> AddAsync(string name, string tokenHash, string createdBy, DateTimeOffset now, CancellationToken ct = default)
    {
        var id = SqlQualificationStore.NewId("pip");
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO pipeline_tokens (id, name, token_hash, created_by, created_at) VALUES (@id, @name, @tokenHash, @createdBy, @at)",
            new { id, name, tokenHash, createdBy, at = StoredValues.Ms(now) }, tx), ct);
        return new StoredPipelineToken(id, name, createdBy, now, null);
    }

    const string Columns = "SELECT id AS Id, name AS Name, created_by AS CreatedBy, created_at AS CreatedAt, revoked_at AS RevokedAt FROM pipeline_tokens";

    /// <summary>The live (not revoked) token with this hash.</summary>
    public async Task<StoredPipelineToken?> FindByTokenHashAsync(string tokenHash, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<Row>(Columns + " WHERE token_hash = @tokenHash AND revoked_at IS NULL", new { tokenHash }))?.ToRecord();
    }

    public async Task<IReadOnlyList<StoredPipelineToken>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<Row>(Columns + " ORDER BY created_at, id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<StoredPipelineToken?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<Row>(Columns + " WHERE id = @id", new { id }))?.ToRecord();
    }

    /// <summary>False when the token does not exist or was revoked already.</summary>
    public async Task<bool> RevokeAsync(string id, DateTimeOffset now, CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync("UPDATE pipeline_tokens SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL",
            new { id, at = StoredValues.Ms(now) }, tx), ct) == 1;

    sealed class Row
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string CreatedBy { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? RevokedAt { get; set; }

        public StoredPipelineToken ToRecord() => new(Id, Name, CreatedBy, StoredValues.At(CreatedAt), RevokedAt is { } r ? StoredValues.At(r) : null);
    }
}
