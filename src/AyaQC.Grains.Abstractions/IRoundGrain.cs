using AyaQC.Core.Qualification;
using Orleans.Concurrency;

namespace AyaQC.Grains;

/// <summary>
/// The one owner of a round (key: round id): opening (policy, roster), closing, expiry and the results. Each
/// participant reports the decision its answer path made after every committed answer; the results are those reports.
/// </summary>
public interface IRoundGrain : IGrainWithStringKey
{
    /// <summary>Opens the round under this grain's id, written through the store before it returns; false when it already exists.</summary>
    Task<bool> OpenAsync(RoundOpening opening);

    /// <summary>Null when there is no such round.</summary>
    [AlwaysInterleave]
    Task<RoundState?> GetAsync();

    /// <summary>Closes the round (written before it returns) and tells its participants; false when already closed or unknown.</summary>
    Task<bool> CloseAsync(DateTimeOffset now);

    /// <summary>A participant's decision after a committed answer; an older report (fewer answers) never replaces a newer one.</summary>
    [AlwaysInterleave]
    Task ReportAsync(AssessorDecision decision);

    /// <summary>Every participant's last reported decision (assessor id order) and, when k is given (or the policy's), the top k; null when unknown.</summary>
    [AlwaysInterleave]
    Task<RoundDecisions?> GetResultsAsync(int? topK);
}

[GenerateSerializer, Immutable]
public sealed record RosterEntry(string AssessorId, IReadOnlyList<string> ItemIds);

[GenerateSerializer, Immutable]
public sealed record RoundOpening(
    string Name, string GoldSetId, int ItemsPerAssessor, QualificationPolicy Policy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    IReadOnlyList<RosterEntry> Roster);

[GenerateSerializer, Immutable]
public sealed record RoundState(
    string Id, string GoldSetId, QualificationPolicy Policy, DateTimeOffset? ExpiresAt, DateTimeOffset? ClosedAt, IReadOnlyList<string> Roster)
{
    /// <summary>Closed once closed; expired from its deadline on, on every node (checked on each access, no timer needed).</summary>
    public RoundStatus StatusAt(DateTimeOffset now) =>
        ClosedAt is not null ? RoundStatus.Closed : ExpiresAt is { } e && e <= now ? RoundStatus.Expired : RoundStatus.Open;
}

[GenerateSerializer, Immutable]
public sealed record AssessorDecision(string AssessorId, int Planned, AssessorScore Score);

/// <param name="TopK">Null when no k was asked for and the policy has none.</param>
[GenerateSerializer, Immutable]
public sealed record RoundDecisions(QualificationPolicy Policy, IReadOnlyList<AssessorDecision> Assessors, IReadOnlyList<string>? TopK);
