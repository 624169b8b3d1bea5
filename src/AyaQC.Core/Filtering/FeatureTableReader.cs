using System.Globalization;

namespace AyaQC.Core.Filtering;

/// <summary>
/// Reads a feature table from a TSV or CSV file with a header row and an <c>id</c> column. The label column (values
/// <c>good</c>/<c>bad</c>, empty = unlabelled) is optional. Features: the named columns, or by default every other
/// column whose non-empty values are all numbers. Empty, <c>NA</c> and <c>null</c> cells are missing values.
/// Bad input throws <see cref="FormatException"/> naming the line and column.
/// </summary>
public static class FeatureTableReader
{
    public static FeatureTable Read(string path, string? labelColumn, IReadOnlyList<string>? features = null)
    {
        using var reader = new StreamReader(path);
        var separator = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ',' : '\t';
        return Read(reader, separator, labelColumn, features, Path.GetFileName(path));
    }

    public static FeatureTable Read(TextReader reader, char separator, string? labelColumn, IReadOnlyList<string>? features, string source)
    {
        var headerLine = reader.ReadLine() ?? throw new FormatException($"{source}: empty file, expected a header row with an 'id' column");
        var header = DelimitedLine.Split(headerLine, separator, source, 1).Select(h => h.Trim()).ToArray();
        int Find(string name) => Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        var idColumn = Find("id");
        if (idColumn < 0)
            throw new FormatException($"{source} line 1: header has no 'id' column (found: {string.Join(", ", header)}; separator '{(separator == '\t' ? "tab" : separator)}')");
        var labelIndex = -1;
        if (labelColumn != null && (labelIndex = Find(labelColumn)) < 0)
            throw new FormatException($"{source} line 1: header has no label column '{labelColumn}' (found: {string.Join(", ", header)})");
        for (var c = 0; c < header.Length; c++)
            if (Array.FindIndex(header, h => string.Equals(h, header[c], StringComparison.OrdinalIgnoreCase)) != c)
                throw new FormatException($"{source} line 1: column '{header[c]}' appears twice");

        var lines = new List<(int LineNo, string[] Fields)>();
        var lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var fields = DelimitedLine.Split(line, separator, source, lineNo);
            if (fields.Length != header.Length)
                throw new FormatException($"{source} line {lineNo}: {fields.Length} field(s), the header has {header.Length}");
            lines.Add((lineNo, fields));
        }

        int[] featureIndex;
        if (features is { Count: > 0 })
            featureIndex = features.Select(f => Find(f) is var i and >= 0 ? i
                : throw new FormatException($"{source} line 1: header has no feature column '{f}' (found: {string.Join(", ", header)})")).ToArray();
        else
            featureIndex = Enumerable.Range(0, header.Length)
                .Where(c => c != idColumn && c != labelIndex && lines.Count > 0 && lines.All(l => IsMissing(l.Fields[c]) || TryNumber(l.Fields[c], out _))
                            && lines.Any(l => !IsMissing(l.Fields[c])))
                .ToArray();
        if (featureIndex.Length == 0) throw new FormatException($"{source}: no numeric feature columns (besides 'id'{(labelColumn != null ? $" and '{labelColumn}'" : "")})");
        if (featureIndex.Contains(idColumn) || featureIndex.Contains(labelIndex))
            throw new FormatException($"{source}: the id and label columns cannot be features");

        var ids = new string[lines.Count];
        var labels = new bool?[lines.Count];
        var values = new double?[lines.Count][];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < lines.Count; r++)
        {
            var (no, fields) = lines[r];
            var id = fields[idColumn].Trim();
            if (id.Length == 0) throw new FormatException($"{source} line {no}, column 'id': empty id");
            if (seen.TryGetValue(id, out var first)) throw new FormatException($"{source} line {no}, column 'id': id '{id}' already on line {first}");
            seen[id] = no;
            ids[r] = id;
            if (labelIndex >= 0) labels[r] = ParseLabel(fields[labelIndex], source, no, header[labelIndex]);
            var row = new double?[featureIndex.Length];
            for (var f = 0; f < featureIndex.Length; f++)
            {
                var cell = fields[featureIndex[f]];
                if (IsMissing(cell)) continue;
                if (!TryNumber(cell, out var v))
                    throw new FormatException($"{source} line {no}, column '{header[featureIndex[f]]}': '{cell.Trim()}' is not a number (leave it empty or NA when missing)");
                row[f] = v;
            }
            values[r] = row;
        }
        return new FeatureTable(featureIndex.Select(i => header[i]).ToArray(), ids, values, labels);
    }

    static bool? ParseLabel(string cell, string source, int lineNo, string column) => cell.Trim().ToLowerInvariant() switch
    {
        "good" => true,
        "bad" => false,
        "" => null,
        var other => throw new FormatException($"{source} line {lineNo}, column '{column}': label '{other}' must be good or bad (or empty for no label)"),
    };

    static bool IsMissing(string cell)
    {
        var t = cell.AsSpan().Trim();
        return t.Length == 0 || t.Equals("NA", StringComparison.OrdinalIgnoreCase) || t.Equals("null", StringComparison.OrdinalIgnoreCase)
               || t.Equals("NaN", StringComparison.OrdinalIgnoreCase);
    }

    static bool TryNumber(string cell, out double value) =>
        double.TryParse(cell.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
