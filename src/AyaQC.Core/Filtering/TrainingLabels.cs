using System.Globalization;

namespace AyaQC.Core.Filtering;

/// <summary>Where a training label came from.</summary>
public static class LabelSources
{
    /// <summary>A lead's audited override of the row's decision: keep = good, drop = bad (review gives no label).</summary>
    public const string Expert = "expert";
    /// <summary>The dataset's own <c>label</c> column (good/bad, e.g. a trusted platform's judgment).</summary>
    public const string Dataset = "dataset";
    /// <summary>A post-edit a reviewer accepted: HTER 0 = good, HTER above the rule's threshold = bad.</summary>
    public const string PostEdit = "post-edit";
    /// <summary>A control item (a gold-set item with a known answer) the project's assessors answered: its gold label.</summary>
    public const string Control = "control";

    public static readonly IReadOnlyList<string> All = [Expert, Dataset, PostEdit, Control];
}

/// <summary>
/// The rule that turns trusted judgments into training labels. A dataset row, in order of precedence: a lead's
/// override (the most recent expert judgment), then the dataset's label column, then the row's accepted post-edit —
/// unchanged (HTER 0) means the translation was good, HTER above <see cref="BadHterAbove"/> means it was bad, anything
/// between gives no label. A control item the project's assessors answered gives its gold label; it is not a dataset
/// row (no decision, never exported, no back-translation or MT score: its machine features are missing), so it may
/// join the training part of every fold but is never held out: held-out metrics stay over dataset rows.
/// </summary>
public sealed record TrainingLabelRule(double BadHterAbove = TrainingLabelRule.DefaultBadHterAbove)
{
    public const double DefaultBadHterAbove = 0.3;

    public string Signature => string.Create(CultureInfo.InvariantCulture,
        $"labels:{LabelSources.Expert}>{LabelSources.Dataset}>{LabelSources.PostEdit}(hter=0:good,hter>{BadHterAbove:0.###}:bad)+{LabelSources.Control}(gold,answered,train-only)");

    /// <param name="expertDecision">The lead's override decision (keep, drop, review) or null.</param>
    /// <param name="datasetLabel">The dataset's label cell (good, bad) or null.</param>
    /// <param name="postEditHter">HTER (a fraction) of the row's accepted post-edit, or null when it has none.</param>
    public (bool? Label, string? Source) Of(string? expertDecision, string? datasetLabel, double? postEditHter)
    {
        switch (expertDecision)
        {
            case "keep": return (true, LabelSources.Expert);
            case "drop": return (false, LabelSources.Expert);
        }
        switch (datasetLabel)
        {
            case "good": return (true, LabelSources.Dataset);
            case "bad": return (false, LabelSources.Dataset);
        }
        return postEditHter switch
        {
            0 => (true, LabelSources.PostEdit),
            > 0 and var h when h > BadHterAbove => (false, LabelSources.PostEdit),
            _ => (null, null),
        };
    }

    /// <summary>A control item: its gold label once at least one counted vote (an assessor not suspended) answered it
    /// in the project, else none — an unanswered control tells the model nothing about the crowd.</summary>
    public (bool? Label, string? Source) OfControl(bool goldGood, int countedVotes) =>
        countedVotes > 0 ? (goldGood, LabelSources.Control) : (null, null);

    /// <summary>Whether labels of this source are held out in cross-validation (and so counted in the card's held-out
    /// metrics); control labels only join the training part of each fold.</summary>
    public static bool HeldOut(string source) => source != LabelSources.Control;
}
