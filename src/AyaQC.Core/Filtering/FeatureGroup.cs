namespace AyaQC.Core.Filtering;

/// <summary>Where a feature comes from: people (votes, skills, post-edits) or machines (back-translation, flags,
/// model scores). The model card compares models trained on each group alone against both.</summary>
public enum FeatureGroup { Crowd, Machine }

public static class FeatureGroups
{
    /// <summary>Names starting <c>crowd_</c> or <c>pe_</c> are human signals; every other column is a machine signal.</summary>
    public static FeatureGroup Of(string feature) =>
        feature.StartsWith("crowd_", StringComparison.Ordinal) || feature.StartsWith("pe_", StringComparison.Ordinal)
            ? FeatureGroup.Crowd
            : FeatureGroup.Machine;
}
