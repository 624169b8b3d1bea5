using AyaQC.Core.Filtering;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AyaQC.Filtering;

/// <summary>Moves feature rows into ML.NET: one float vector per row (NaN = missing) and a boolean label.</summary>
internal static class ScoringData
{
    public const string Features = "Features", Label = "Label", Score = "Score";

    internal sealed class Row
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    public static float[][] Matrix(FeatureTable table) =>
        table.Values.Select(r => r.Select(v => v is { } x ? (float)x : float.NaN).ToArray()).ToArray();

    public static IDataView View(MLContext ml, IReadOnlyList<float[]> rows, IReadOnlyList<bool>? labels, int width)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var items = new Row[rows.Count];
        for (var i = 0; i < items.Length; i++) items[i] = new Row { Features = rows[i], Label = labels?[i] ?? false };
        return ml.Data.LoadFromEnumerable(items, schema);
    }

    /// <summary>The trainer's raw score per row (before our calibration), in row order.</summary>
    public static double[] Scores(MLContext ml, ITransformer model, IReadOnlyList<float[]> rows, int width)
    {
        var scored = model.Transform(View(ml, rows, null, width));
        return scored.GetColumn<float>(Score).Select(s => (double)s).ToArray();
    }
}
