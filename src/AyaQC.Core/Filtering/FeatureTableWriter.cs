using System.Globalization;

namespace AyaQC.Core.Filtering;

/// <summary>Writes a feature table as TSV (<c>id</c>, <c>label</c>, then the feature columns; missing = empty cell),
/// the shape <see cref="FeatureTableReader"/> reads back.</summary>
public static class FeatureTableWriter
{
    public static void Write(FeatureTable table, TextWriter writer)
    {
        writer.Write("id\tlabel");
        foreach (var c in table.Columns) writer.Write('\t' + c);
        writer.Write('\n');
        for (var r = 0; r < table.RowCount; r++)
        {
            writer.Write(table.Ids[r]);
            writer.Write(table.Labels[r] switch { true => "\tgood", false => "\tbad", null => "\t" });
            foreach (var v in table.Values[r])
            {
                writer.Write('\t');
                if (v is { } x) writer.Write(x.ToString("0.######", CultureInfo.InvariantCulture));
            }
            writer.Write('\n');
        }
    }
}
