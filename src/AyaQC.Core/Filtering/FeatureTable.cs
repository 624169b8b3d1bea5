using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AyaQC.Core.Filtering;

/// <summary>
/// Rows × named numeric features, with an optional trusted label per row (true = good, false = bad, null = none).
/// A missing feature is null. <see cref="DataHash"/> identifies the exact content, so a model card can name the
/// data it was trained on.
/// </summary>
public sealed class FeatureTable
{
    public FeatureTable(IReadOnlyList<string> columns, IReadOnlyList<string> ids, double?[][] values, IReadOnlyList<bool?> labels)
    {
        if (ids.Count != values.Length || ids.Count != labels.Count)
            throw new ArgumentException("ids, values and labels need one entry per row");
        foreach (var row in values)
            if (row.Length != columns.Count) throw new ArgumentException("every row needs one value per column");
        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Count) throw new ArgumentException("column names must be distinct");
        Columns = columns;
        Ids = ids;
        Values = values;
        Labels = labels;
        _hash = new Lazy<string>(ComputeHash);
    }

    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<string> Ids { get; }
    /// <summary>Row-major values: <c>Values[row][column]</c>, null = missing.</summary>
    public double?[][] Values { get; }
    public IReadOnlyList<bool?> Labels { get; }
    public int RowCount => Ids.Count;

    readonly Lazy<string> _hash;

    /// <summary><c>sha256:</c> + hex of the columns, ids, labels and values in a fixed text form (R round-trip numbers).</summary>
    public string DataHash => _hash.Value;

    public int ColumnIndex(string name)
    {
        for (var i = 0; i < Columns.Count; i++) if (Columns[i] == name) return i;
        return -1;
    }

    /// <summary>The same rows with only the named columns, in that order; an unknown name is an error naming it.</summary>
    public FeatureTable Select(IReadOnlyList<string> features)
    {
        var index = features.Select(f => ColumnIndex(f) is var i and >= 0 ? i
            : throw new ArgumentException($"no feature column '{f}' (columns: {string.Join(", ", Columns)})")).ToArray();
        var values = Values.Select(row => index.Select(i => row[i]).ToArray()).ToArray();
        return new FeatureTable(features.ToArray(), Ids, values, Labels);
    }

    /// <summary>The table over exactly <paramref name="features"/>: a column this table lacks is missing (null) on every
    /// row — as when a chunk of rows to decide happens to carry no value of a signal the model was trained with.</summary>
    public FeatureTable Align(IReadOnlyList<string> features)
    {
        var index = features.Select(ColumnIndex).ToArray();
        var values = Values.Select(row => index.Select(i => i >= 0 ? row[i] : null).ToArray()).ToArray();
        return new FeatureTable(features.ToArray(), Ids, values, Labels);
    }

    /// <summary>The rows at the given positions (in that order).</summary>
    public FeatureTable Rows(IReadOnlyList<int> rows) =>
        new(Columns, rows.Select(r => Ids[r]).ToArray(), rows.Select(r => Values[r]).ToArray(), rows.Select(r => Labels[r]).ToArray());

    string ComputeHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new StringBuilder();
        void Flush()
        {
            sha.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
            text.Clear();
        }
        text.Append(string.Join('\t', Columns)).Append('\n');
        for (var r = 0; r < RowCount; r++)
        {
            text.Append(Ids[r]).Append('\t').Append(Labels[r] switch { true => "good", false => "bad", null => "" });
            foreach (var v in Values[r]) text.Append('\t').Append(v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "");
            text.Append('\n');
            if (text.Length > 1 << 16) Flush();
        }
        Flush();
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
