using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
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
    IQualificationStore store, AyaQC.Storage.Assessment.ProjectStore projects, KnownTokens known)
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
        if (known.TryGet(token, TimeProvider.GetUtcNow()) is { } cached) return Success(cached);
        var hash = ApiTokens.Hash(token);

        ClaimsPrincipal? principal = null;
        if (token.StartsWith(ApiTokens.AdminPrefix, StringComparison.Ordinal) && await store.AdminKeyExistsAsync(hash, Context.RequestAborted))
            principal = Principal([new Claim(ClaimTypes.Role, Roles.Admin)]);
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
        if (principal is null) return AuthenticateResult.Fail("unknown or revoked token");
        known.Remember(token, principal, TimeProvider.GetUtcNow());
        return Success(principal);
    }

    static ClaimsPrincipal Principal(Claim[] claims) => new(new ClaimsIdentity(claims, SchemeName));

    AuthenticateResult Success(ClaimsPrincipal p) => AuthenticateResult.Success(new AuthenticationTicket(p, SchemeName));
}

/// <summary>Recently verified tokens (in memory only); an entry lives one minute so a reissued token's old value soon stops working on every node.</summary>
public sealed class KnownTokens
{
    static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    readonly ConcurrentDictionary<string, (ClaimsPrincipal Principal, DateTimeOffset Until)> _entries = new();

    public ClaimsPrincipal? TryGet(string token, DateTimeOffset now) =>
        _entries.TryGetValue(token, out var e) && e.Until > now ? e.Principal : null;

    public void Remember(string token, ClaimsPrincipal principal, DateTimeOffset now) => _entries[token] = (principal, now + Lifetime);

    /// <summary>Drops every cached token of an assessor (after their token was reissued here).</summary>
    public void ForgetAssessor(string assessorId)
    {
        foreach (var (token, entry) in _entries)
            if (entry.Principal.FindFirst(Roles.AssessorIdClaim)?.Value == assessorId) _entries.TryRemove(token, out _);
    }
}
