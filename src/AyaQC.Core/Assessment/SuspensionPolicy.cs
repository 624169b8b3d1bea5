using System.Globalization;
using AyaQC.Core.Qualification;

namespace AyaQC.Core.Assessment;

/// <summary>
/// One signal's rule, Toloka-style: after at least <see cref="MinCount"/> observations, suspend when the Wilson
/// upper bound (95%) of the success share is below <see cref="UpperBoundBelow"/> — i.e. even the optimistic
/// reading of the evidence is too low.
/// </summary>
public sealed record SignalRule(bool Enabled, int MinCount, double UpperBoundBelow)
{
    public static SignalRule Off { get; } = new(false, 0, 0);

    public string Signature => Enabled
        ? string.Create(CultureInfo.InvariantCulture, $"min:{MinCount}|below:{UpperBoundBelow:R}")
        : "off";
}

/// <summary>The three signals an assessor is watched on: what counts as success and how often it was seen.</summary>
public enum WatchSignal
{
    /// <summary>Control items answered right.</summary>
    Controls,
    /// <summary>Answers that took at least the minimum time per item.</summary>
    Speed,
    /// <summary>Votes on finished rows that equal the row's aggregated label.</summary>
    Agreement,
}

/// <summary>Why an assessor was suspended: the signal, its counts and the bound that crossed the threshold.</summary>
public sealed record SuspensionEvidence(WatchSignal Signal, int Successes, int Count, double WilsonUpper, double Threshold, int AfterAnswers)
{
    public string Reason => Signal switch
    {
        WatchSignal.Controls => string.Create(CultureInfo.InvariantCulture,
            $"control accuracy {Successes}/{Count}: Wilson upper bound {WilsonUpper:F3} < {Threshold:R}"),
        WatchSignal.Speed => string.Create(CultureInfo.InvariantCulture,
            $"{Count - Successes} of {Count} answers faster than the minimum time: Wilson upper bound of the unhurried share {WilsonUpper:F3} < {Threshold:R}"),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"agreement with aggregated labels {Successes}/{Count}: Wilson upper bound {WilsonUpper:F3} < {Threshold:R}"),
    };
}

/// <summary>
/// When an assessor is suspended: the same Wilson-upper-bound rule over any of three signals (control accuracy,
/// answer speed, agreement with aggregated labels), each with its own minimum count and threshold.
/// </summary>
public sealed record SuspensionPolicy
{
    public SignalRule Controls { get; init; } = new(true, 6, 0.7);
    public SignalRule Speed { get; init; } = new(true, 8, 0.5);
    public SignalRule Agreement { get; init; } = new(false, 15, 0.55);

    /// <summary>An answer given sooner than this after the item was served counts as too fast.</summary>
    public double MinSecondsPerItem { get; init; } = 2.0;

    public static SuspensionPolicy Default { get; } = new();

    public string Signature => string.Create(CultureInfo.InvariantCulture,
        $"suspend|wilson:95|controls:{Controls.Signature}|speed:{Speed.Signature}@{MinSecondsPerItem:R}s|agreement:{Agreement.Signature}|version:ayaqc-1");

    /// <summary>The first signal whose rule fires, or null.</summary>
    public SuspensionEvidence? Evaluate(AssessorRecord record)
    {
        return Check(WatchSignal.Controls, Controls, record.ControlsCorrect, record.Controls)
            ?? Check(WatchSignal.Speed, Speed, record.TimedAnswers - record.FastAnswers, record.TimedAnswers)
            ?? Check(WatchSignal.Agreement, Agreement, record.Agreements, record.AgreementChecks);

        SuspensionEvidence? Check(WatchSignal signal, SignalRule rule, int successes, int count)
        {
            if (!rule.Enabled || count < Math.Max(1, rule.MinCount)) return null;
            var upper = WilsonInterval.Compute(successes, count).High;
            return upper < rule.UpperBoundBelow ? new SuspensionEvidence(signal, successes, count, upper, rule.UpperBoundBelow, record.Answers) : null;
        }
    }
}
