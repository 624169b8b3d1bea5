using AyaQC.Core.Qualification;

namespace AyaQC.Cli.Assessment;

/// <summary>The kinds of assessor <c>ayaqc simulate assessment</c> plays.</summary>
public enum WorkerRole
{
    /// <summary>Right 92% of the time, in qualification and in assessment.</summary>
    Honest,
    /// <summary>Right 92% in qualification and for the first items of a project, then 55%: quality drops after qualification.</summary>
    Drifting,
    /// <summary>Passed qualification by luck (right 90% there), then answers at random.</summary>
    LuckySpammer,
    /// <summary>Answers at random everywhere (qualification should stop them).</summary>
    Spammer,
}

/// <summary>One simulated assessor: answers from the planted truth according to its role and how much it has done.</summary>
public sealed class SimulatedWorker(string id, WorkerRole role, int seed, int driftAfter = 15)
{
    readonly Random _random = new(seed);
    int _projectAnswers;

    public string Id { get; } = id;
    public WorkerRole Role { get; } = role;
    public bool IsBad => Role is WorkerRole.Drifting or WorkerRole.LuckySpammer or WorkerRole.Spammer;

    public Verdict Qualify(Verdict truth) => Role == WorkerRole.Spammer ? Coin() : Right(truth, Role == WorkerRole.LuckySpammer ? 0.9 : 0.92);

    public Verdict Assess(Verdict truth)
    {
        _projectAnswers++;
        return Role switch
        {
            WorkerRole.Honest => Right(truth, 0.92),
            WorkerRole.Drifting => Right(truth, _projectAnswers <= driftAfter ? 0.92 : 0.55),
            _ => Coin(),
        };
    }

    public void StartProject() => _projectAnswers = 0;

    Verdict Right(Verdict truth, double p) => _random.NextDouble() < p ? truth : truth == Verdict.Good ? Verdict.Bad : Verdict.Good;
    Verdict Coin() => _random.Next(2) == 0 ? Verdict.Good : Verdict.Bad;
}
