using AyaQC.Contracts;
using AyaQC.Core.Qualification;

namespace AyaQC.Cli.Qualification;

/// <summary>The kinds of crowd member <c>ayaqc simulate</c> plays.</summary>
public enum AssessorProfile
{
    /// <summary>Right 95% of the time; names the error type of a caught bad item 80% of the time.</summary>
    Skilled,
    /// <summary>Right 75% of the time: between the test's p0 and p1, so often left undecided or failed.</summary>
    Average,
    /// <summary>Answers good or bad at random, ignoring the text.</summary>
    Spammer,
    /// <summary>Says "good" 90% of the time whatever the item: misses most bad translations.</summary>
    BiasedGood,
}

/// <summary>One simulated assessor: answers an item from its gold label according to its profile.</summary>
public sealed class SimulatedAssessor(AssessorProfile profile, int seed)
{
    readonly Random _rng = new(seed);
    public AssessorProfile Profile { get; } = profile;

    public AnswerRequest Answer(ItemToAssess item, GoldItem gold)
    {
        var verdict = Profile switch
        {
            AssessorProfile.Skilled => Sometimes(0.95) ? gold.Label : Flip(gold.Label),
            AssessorProfile.Average => Sometimes(0.75) ? gold.Label : Flip(gold.Label),
            AssessorProfile.Spammer => Sometimes(0.5) ? Verdict.Good : Verdict.Bad,
            _ => Sometimes(0.9) ? Verdict.Good : Verdict.Bad,
        };
        string? errorType = null;
        if (verdict == Verdict.Bad)
            errorType = gold.ErrorType is { } t && Profile == AssessorProfile.Skilled && Sometimes(0.8)
                ? t
                : ErrorTypes.All[_rng.Next(ErrorTypes.All.Count)];
        return new AnswerRequest(item.ItemId, verdict.ToCode(), errorType);
    }

    bool Sometimes(double p) => _rng.NextDouble() < p;
    static Verdict Flip(Verdict v) => v == Verdict.Good ? Verdict.Bad : Verdict.Good;

    /// <summary>Profiles for <paramref name="count"/> assessors in the given shares (largest remainder), interleaved.</summary>
    public static IReadOnlyList<AssessorProfile> Mix(int count, IReadOnlyDictionary<AssessorProfile, double> shares)
    {
        var total = shares.Values.Sum();
        var exact = shares.Select(s => (s.Key, Exact: s.Value / total * count)).ToList();
        var counts = exact.ToDictionary(e => e.Key, e => (int)Math.Floor(e.Exact));
        foreach (var e in exact.OrderByDescending(e => e.Exact - Math.Floor(e.Exact)).Take(count - counts.Values.Sum()))
            counts[e.Key]++;
        var result = new List<AssessorProfile>(count);
        while (result.Count < count)
            foreach (var p in counts.Keys.Where(p => counts[p] > 0).ToList())
            {
                result.Add(p);
                counts[p]--;
            }
        return result;
    }

    public static readonly IReadOnlyDictionary<AssessorProfile, double> DefaultShares = new Dictionary<AssessorProfile, double>
    {
        [AssessorProfile.Skilled] = 0.30,
        [AssessorProfile.Average] = 0.30,
        [AssessorProfile.Spammer] = 0.20,
        [AssessorProfile.BiasedGood] = 0.20,
    };
}
