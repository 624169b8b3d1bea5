using System.Globalization;

namespace AyaQC.Core.Filtering;

/// <summary>Where a row's trusted training label came from.</summary>
public static class LabelSources
{
    /// <summary>A lead's audited override of the row's decision: keep = good, drop = bad (review gives no label).</summary>
    public const string Expert = "expert";
    /// <summary>The dataset's own <c>label</c> column (good/bad, e.g. a trusted platform's judgment).</summary>
    public const string Dataset = "dataset";
    /// <summary>A post-edit a reviewer accepted: HTER 0 = good, HTER above the rule's threshold = bad.</summary>
    public const string PostEdit = "post-edit";

    public static readonly IReadOnlyList<string> All = [Expert, Dataset, PostEdit];
}

/// <summary>
/// The rule that turns trusted judgments into training labels, in order of precedence: a lead's override (the most
/// recent expert judgment), then the dataset's label column, then the row's accepted post-edit — unchanged (HTER 0)
/// means the translation was good, HTER above <see cref="BadHterAbove"/> means it was bad, anything between gives no
/// label. Control items are not used: they are gold items, not dataset rows, and have no machine features
/// (back-translation, MT score) for the model to learn from.
/// </summary>
public sealed record TrainingLabelRule(double BadHterAbove = TrainingLabelRule.DefaultBadHterAbove)
{
    public const double DefaultBadHterAbove = 0.3;

    public string Signature => string.Create(CultureInfo.InvariantCulture,
        $"labels:{LabelSources.Expert}>{LabelSources.Dataset}>{LabelSources.PostEdit}(hter=0:good,hter>{BadHterAbove:0.###}:bad)");

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
}
