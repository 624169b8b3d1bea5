using Dapper;

namespace AyaQC.Storage;

/// <summary>
/// One-time sign-in links an admin hands to an assessor (schema step 7). Only the code's SHA-256 is stored; a code
/// works once, before it expires.
/// </summary>
public sealed class SignInLinkStore(SqlDatabase db)
{
    public Task AddAsync(string codeHash, string assessorId, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO sign_in_links (code_hash, assessor_id, created_at, expires_at) VALUES (@codeHash, @assessorId, @now, @expires)",
            new { codeHash, assessorId, now = now.ToUnixTimeMilliseconds(), expires = expiresAt.ToUnixTimeMilliseconds() }, tx), ct);

    /// <summary>Marks the link used and returns its assessor id; null when unknown, used or expired.</summary>
    public Task<string?> ConsumeAsync(string codeHash, DateTimeOffset now, CancellationToken ct = default) =>
        db.WriteAsync(async (c, tx) =>
        {
            var at = now.ToUnixTimeMilliseconds();
            var taken = await c.ExecuteAsync(
                "UPDATE sign_in_links SET used_at = @at WHERE code_hash = @codeHash AND used_at IS NULL AND expires_at > @at",
                new { codeHash, at }, tx);
            return taken == 1
                ? await c.ExecuteScalarAsync<string>("SELECT assessor_id FROM sign_in_links WHERE code_hash = @codeHash", new { codeHash }, tx)
                : null;
        }, ct);
}
