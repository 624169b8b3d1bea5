using Orleans.Concurrency;

namespace AyaQC.Grains;

/// <summary>
/// The one owner of an assessor (key: assessor id) across the cluster: profile, token hash, active/suspended, skill
/// estimates. Every node asks it whether a token is good, so a reissued token or a suspension counts everywhere at once.
/// </summary>
public interface IAssessorGrain : IGrainWithStringKey
{
    /// <summary>Null when there is no such assessor.</summary>
    Task<AssessorProfile?> GetProfileAsync();

    /// <summary>True when <paramref name="tokenHash"/> is the assessor's current token and they are not suspended.</summary>
    [AlwaysInterleave]
    Task<bool> AcceptsAsync(string tokenHash);

    /// <summary>Stores the new token's hash (the old token stops working everywhere); false for an unknown assessor.</summary>
    Task<bool> ReplaceTokenAsync(string tokenHash);

    /// <summary>Suspends (a time) or reinstates (null); false for an unknown assessor.</summary>
    Task<bool> SetSuspendedAsync(DateTimeOffset? since);

    Task<bool> SetSkillAsync(string skill, double estimate, DateTimeOffset at);
}

[GenerateSerializer, Immutable]
public sealed record AssessorProfile(
    string Id, string Name, string? Languages, DateTimeOffset CreatedAt, DateTimeOffset? SuspendedAt, IReadOnlyDictionary<string, double> Skills)
{
    public bool Active => SuspendedAt is null;
}
