using System.Globalization;

namespace AyaQC.Core.Assessment;

/// <summary>How a project's board serves work and watches assessors. Every option is in <see cref="Signature"/>.</summary>
public sealed record AssessmentSettings
{
    public OverlapRule Overlap { get; init; } = OverlapRule.FixedVotes(3);

    /// <summary>Chance that an item served is a control item instead of a row (0 = no controls).</summary>
    public double ControlRate { get; init; } = 0.1;

    /// <summary>Items (rows and controls) one assessor may be served; 0 = no quota.</summary>
    public int Quota { get; init; }

    public SuspensionPolicy Suspension { get; init; } = SuspensionPolicy.Default;
    public SkillPrior Skill { get; init; } = SkillPrior.Default;

    /// <summary>How long a served item stays reserved for its assessor before others may take the row.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The answers an assessor may give, in ordinal order (label ids index this list).</summary>
    public IReadOnlyList<string> Labels { get; init; } = ["bad", "good"];

    public string Signature => string.Create(CultureInfo.InvariantCulture,
        $"board|{Overlap.Signature}|controls:{ControlRate:R}|quota:{Quota}|lease:{Lease.TotalSeconds:R}s|skill:{Skill.Signature}|labels:{string.Join(",", Labels)}|{Suspension.Signature}");
}

/// <summary>A control item: a gold item with its known label id.</summary>
public sealed record ControlItem(string Id, int Label);

/// <summary>What the board serves: a row of the dataset or a control item, by index. Server-side only.</summary>
public readonly record struct BoardItem(bool IsControl, int Index);

public enum ServeStatus { Item, NoWork, QuotaReached, Suspended }

/// <summary>The outcome of asking for work: the item (opaque id + what it is) when <see cref="Status"/> is Item.</summary>
public readonly record struct Served(ServeStatus Status, string? ItemId, BoardItem Item, int Position);

public enum AnswerRejection { NotServed, AlreadyAnswered, Suspended, UnknownLabel }

/// <summary>An accepted answer (with whether it was a control and right) or why it was refused.</summary>
public sealed record AnswerOutcome(
    AnswerRejection? Rejection,
    string Detail,
    BoardItem Item,
    bool? ControlCorrect,
    IReadOnlyList<AssessorRecord> NewlySuspended)
{
    public bool Accepted => Rejection is null;
}

/// <summary>One vote on the board, in arrival order (assessor id, item, label id).</summary>
public readonly record struct BoardVote(string Assessor, BoardItem Item, int Label);

/// <summary>The live state of one row: valid votes, the online label and its posterior, whether it needs more votes.</summary>
public readonly record struct RowState(int Votes, int Label, double Posterior, bool Finished);
