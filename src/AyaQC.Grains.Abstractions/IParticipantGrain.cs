using Orleans.Concurrency;

namespace AyaQC.Grains;

/// <summary>
/// One assessor in one round (key: <see cref="ParticipantKey.Of"/>): serves the current item and takes answers,
/// judged by Core's answer rules and committed before it acknowledges, then reports its decision to the round's
/// <see cref="IRoundGrain"/>. Calls for one participant run one at a time.
/// </summary>
public interface IParticipantGrain : IGrainWithStringKey
{
    Task<ParticipantView> NextAsync(DateTimeOffset now);

    /// <param name="verdict">"good" or "bad" (checked by the caller).</param>
    Task<AnswerReceipt> AnswerAsync(string itemId, string verdict, string? errorType, DateTimeOffset now);

    /// <summary>The decision this participant's answer path made so far (the one it reports to its round); null when not in the round.</summary>
    Task<AssessorDecision?> DecisionAsync(DateTimeOffset now);

    /// <summary>The round was closed (by its <see cref="IRoundGrain"/>): stop serving at once.</summary>
    [AlwaysInterleave]
    Task RoundClosedAsync();
}

public static class ParticipantKey
{
    public static string Of(string roundId, string assessorId) => $"{roundId}/{assessorId}";

    public static (string RoundId, string AssessorId) Parse(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}

[GenerateSerializer]
public enum ParticipantStatus { NotInRound, RoundClosed, RoundExpired, Item, Complete }

/// <summary>Only the texts of an item: the gold label, explanation and error type never leave the server.</summary>
[GenerateSerializer, Immutable]
public sealed record ItemView(string ItemId, int Position, int Total, string SourceLang, string TargetLang, string Source, string Translation);

[GenerateSerializer, Immutable]
public sealed record ParticipantView(ParticipantStatus Status, int Answered, int Planned, ItemView? Item);

/// <summary>Rejection is Core's AnswerRejection by name (null: accepted, then Next is the following item or null when complete).</summary>
[GenerateSerializer, Immutable]
public sealed record AnswerReceipt(string? Rejection, string? Detail, int Answered, int Planned, ItemView? Next);
