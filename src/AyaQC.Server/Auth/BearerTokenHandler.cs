using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using AyaQC.Grains;
using AyaQC.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AyaQC.Server.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;admin key | assessor token&gt;</c> by the token's SHA-256.
/// Verified tokens are remembered in memory for a minute, so the hot answer path neither hashes nor queries.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IQualificationStore store, AyaQC.Storage.Assessment.ProjectStore projects, AyaQC.Storage.Filtering.PipelineTokenStore pipelines,
    KnownTokens known, IGrainFactory grains)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("Authorization header must be 'Bearer <token>'");
        var token = header[7..].Trim();
        if (known.TryGet(token, TimeProvider.GetUtcNow()) is { } cached)
            return await StillAcceptedAsync(cached) ? Success(cached.Principal) : Revoked(token);
        var hash = ApiTokens.Hash(token);

        ClaimsPrincipal? principal = null;
        if (token.StartsWith(ApiTokens.AdminPrefix, StringComparison.Ordinal) && await store.AdminKeyNameAsync(hash, Context.RequestAborted) is { } adminName)
            principal = Principal([new Claim(ClaimTypes.Role, Roles.Admin), new Claim(Roles.AdminNameClaim, adminName)]);
        else if (token.StartsWith(ApiTokens.AssessorPrefix, StringComparison.Ordinal)
                 && await store.FindAssessorByTokenHashAsync(hash, Context.RequestAborted) is { } assessor)
            principal = Principal([
                new Claim(ClaimTypes.Role, Roles.Assessor),
                new Claim(Roles.AssessorIdClaim, assessor.Id),
                new Claim(Roles.AssessorNameClaim, assessor.Name),
            ]);
        else if (token.StartsWith(ApiTokens.ReviewerPrefix, StringComparison.Ordinal)
                 && await projects.FindReviewerByTokenHashAsync(hash, Context.RequestAborted) is { } reviewer)
            principal = Principal([
                new Claim(ClaimTypes.Role, Roles.Reviewer),
                new Claim(Roles.ReviewerIdClaim, reviewer.Id),
                .. reviewer.AssessorId is { } linked ? [new Claim(Roles.AssessorIdClaim, linked)] : Array.Empty<Claim>(),
            ]);
        else if (token.StartsWith(ApiTokens.PipelinePrefix, StringComparison.Ordinal))
        {
            // Not cached: an export is one request per download, and a revoked pipeline token must stop on every node at once.
            return await pipelines.FindByTokenHashAsync(hash, Context.RequestAborted) is { } pipeline
                ? Success(Principal([new Claim(ClaimTypes.Role, Roles.Pipeline), new Claim(Roles.PipelineIdClaim, pipeline.Id)]))
                : AuthenticateResult.Fail("unknown or revoked token");
        }
        if (principal is null) return AuthenticateResult.Fail("unknown or revoked token");
        var assessorId = principal.IsInRole(Roles.Assessor) ? principal.FindFirstValue(Roles.AssessorIdClaim) : null;
        var entry = new KnownTokens.Entry(principal, hash, assessorId is null ? null : grains.GetGrain<IAssessorGrain>(assessorId), default);
        if (!await StillAcceptedAsync(entry)) return AuthenticateResult.Fail("unknown, revoked or suspended token");
        known.Remember(token, entry, TimeProvider.GetUtcNow());
        return Success(principal);
    }

    /// <summary>An assessor token is good only while the assessor's grain (one for the whole cluster) holds its hash
    /// and the assessor is active: a reissued token or a suspension is refused on every node at once. (The grain
    /// reference is kept with the entry: making one costs a reflection over the interface's attributes.)</summary>
    static async Task<bool> StillAcceptedAsync(KnownTokens.Entry entry) =>
        entry.Assessor is null || await entry.Assessor.AcceptsAsync(entry.TokenHash);

    AuthenticateResult Revoked(string token)
    {
        known.Forget(token);
        return AuthenticateResult.Fail("unknown, revoked or suspended token");
    }

    static ClaimsPrincipal Principal(Claim[] claims) => new(new ClaimsIdentity(claims, SchemeName));

    AuthenticateResult Success(ClaimsPrincipal p) => AuthenticateResult.Success(new AuthenticationTicket(p, SchemeName));
}

/// <summary>Verified tokens (in memory): saves hashing and a database read per request. Assessor tokens are still
/// checked with the assessor's grain on every request, so an entry never outlives a revocation.</summary>
public sealed class KnownTokens
{
    public sealed record Entry(ClaimsPrincipal Principal, string TokenHash, IAssessorGrain? Assessor, DateTimeOffset Until);

    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    const int MaxEntries = 200_000;
    readonly ConcurrentDictionary<string, Entry> _entries = new();

    public Entry? TryGet(string token, DateTimeOffset now) => _entries.TryGetValue(token, out var e) && e.Until > now ? e : null;

    public void Remember(string token, Entry entry, DateTimeOffset now)
    {
        if (_entries.Count >= MaxEntries) _entries.Clear(); // a cache only: dropping it costs a read each
        _entries[token] = entry with { Until = now + Lifetime };
    }

    public void Forget(string token) => _entries.TryRemove(token, out _);
}
