namespace AyaQC.Contracts;

/// <summary>A one-time sign-in link for an assessor's pages (shown once).</summary>
public sealed record SignInLinkResponse(string AssessorId, string Url, DateTimeOffset ExpiresAt);
