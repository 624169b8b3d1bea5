using System.Globalization;
using AyaQC.Core.Crowd;

namespace AyaQC.Core.Assessment;

/// <summary>
/// How many votes a row needs: a fixed number (<see cref="Fixed"/>), or dynamic — between the policy's minimum and
/// maximum, one more while the posterior of the row's best label stays below the policy's target.
/// </summary>
public sealed record OverlapRule
{
    /// <summary>Votes per row when fixed; null when <see cref="Dynamic"/> decides.</summary>
    public int? Fixed { get; init; }
    public DynamicOverlapPolicy? Dynamic { get; init; }

    public static OverlapRule FixedVotes(int votes) =>
        votes >= 1 ? new() { Fixed = votes } : throw new ArgumentOutOfRangeException(nameof(votes), "a fixed overlap needs at least 1 vote");

    public static OverlapRule DynamicVotes(DynamicOverlapPolicy policy)
    {
        if (policy.MinVotes < 1 || policy.MaxVotes < policy.MinVotes)
            throw new ArgumentOutOfRangeException(nameof(policy), "dynamic overlap needs 1 ≤ min votes ≤ max votes");
        return new() { Dynamic = policy };
    }

    /// <summary>Most votes a row can ever need.</summary>
    public int MaxVotes => Fixed ?? Dynamic!.MaxVotes;

    /// <summary>Votes every row gets before the posterior is consulted.</summary>
    public int MinVotes => Fixed ?? Dynamic!.MinVotes;

    public string Signature => Fixed is { } k
        ? string.Create(CultureInfo.InvariantCulture, $"overlap|fixed:{k}")
        : Dynamic!.Signature;
}
