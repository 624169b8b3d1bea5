using AyaQC.Core.Filtering;

namespace AyaQC.Filtering;

/// <summary>Labelled rows that only join the training part of each fold and the final fit (control items), as float
/// vectors over the model's columns (NaN = missing).</summary>
internal sealed record TrainingOnly(float[][] Rows, bool[] Labels)
{
    public static readonly TrainingOnly None = new([], []);

    /// <summary>The labelled rows of <paramref name="table"/> over <paramref name="columns"/> (missing where it lacks one).</summary>
    public static TrainingOnly Of(FeatureTable? table, IReadOnlyList<string> columns)
    {
        if (table is null) return None;
        var labelled = Enumerable.Range(0, table.RowCount).Where(i => table.Labels[i].HasValue).ToArray();
        var rows = table.Rows(labelled).Align(columns);
        return new(ScoringData.Matrix(rows), rows.Labels.Select(l => l!.Value).ToArray());
    }

    /// <summary>The same rows over a subset of <paramref name="all"/>, keeping only rows with a value in one of those
    /// columns: a row with nothing in a column set (a control item in a machine-only run) would teach it nothing.</summary>
    public TrainingOnly Columns(IReadOnlyList<string> all, IReadOnlyList<string> subset)
    {
        var index = subset.Select(c => all.ToList().IndexOf(c)).ToArray();
        var kept = Enumerable.Range(0, Rows.Length).Where(i => index.Any(j => !float.IsNaN(Rows[i][j]))).ToArray();
        return new(kept.Select(i => index.Select(j => Rows[i][j]).ToArray()).ToArray(), kept.Select(i => Labels[i]).ToArray());
    }
}
