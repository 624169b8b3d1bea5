namespace AyaQC.Grains;

/// <summary>The one owner of a round (key: round id): its status and roster; closing it tells every participant.</summary>
public interface IRoundGrain : IGrainWithStringKey
{
    /// <summary>Null when there is no such round.</summary>
    Task<RoundState?> GetAsync();

    /// <summary>Closes an open round (written before it returns) and tells its participants; false when already closed or unknown.</summary>
    Task<bool> CloseAsync(DateTimeOffset now);
}

[GenerateSerializer, Immutable]
public sealed record RoundState(
    string Id, string GoldSetId, DateTimeOffset? ExpiresAt, DateTimeOffset? ClosedAt, IReadOnlyList<string> Roster);
