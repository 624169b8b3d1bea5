namespace AyaQC.Core.Crowd;

/// <summary>
/// Reads crowd-kit shaped tables: answers (<c>task, worker, label</c>) and gold (<c>task, label</c>), tab separated,
/// with a header row naming the columns (any column order; extra columns ignored).
/// </summary>
public static class CrowdTsv
{
    public static CrowdAnswers ReadAnswers(TextReader reader, string source = "answers")
    {
        var builder = new CrowdAnswersBuilder();
        var (columns, lineNo) = ReadHeader(reader, source, "task", "worker", "label");
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var fields = line.Split('\t');
            builder.Add(Field(fields, columns[0], source, lineNo, "task"),
                Field(fields, columns[1], source, lineNo, "worker"),
                Field(fields, columns[2], source, lineNo, "label"));
        }
        if (builder.VoteCount == 0) throw new FormatException($"{source}: no answers after the header");
        return builder.Build();
    }

    /// <summary>Reads (task, label) pairs; a task listed twice with different labels is an error.</summary>
    public static IReadOnlyDictionary<string, string> ReadTaskLabels(TextReader reader, string source = "gold")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var (columns, lineNo) = ReadHeader(reader, source, "task", "label");
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var fields = line.Split('\t');
            var task = Field(fields, columns[0], source, lineNo, "task");
            var label = Field(fields, columns[1], source, lineNo, "label");
            if (result.TryGetValue(task, out var previous) && previous != label)
                throw new FormatException($"{source} line {lineNo}: task '{task}' already has label '{previous}', now '{label}'");
            result[task] = label;
        }
        return result;
    }

    static (int[] Columns, int LineNo) ReadHeader(TextReader reader, string source, params string[] required)
    {
        var header = reader.ReadLine() ?? throw new FormatException($"{source}: empty file, expected a header row ({string.Join(", ", required)})");
        var names = header.Split('\t').Select(h => h.Trim()).ToArray();
        var columns = new int[required.Length];
        for (var i = 0; i < required.Length; i++)
        {
            columns[i] = Array.FindIndex(names, n => string.Equals(n, required[i], StringComparison.OrdinalIgnoreCase));
            if (columns[i] < 0)
                throw new FormatException($"{source} line 1: header has no '{required[i]}' column (found: {string.Join(", ", names)}); tab-separated columns {string.Join(", ", required)} are required");
        }
        return (columns, 1);
    }

    static string Field(string[] fields, int column, string source, int lineNo, string name)
    {
        if (column >= fields.Length)
            throw new FormatException($"{source} line {lineNo}: missing '{name}' field (expected tab-separated values, got {fields.Length} field(s))");
        var value = fields[column].Trim();
        if (value.Length == 0) throw new FormatException($"{source} line {lineNo}: empty '{name}' field");
        return value;
    }
}
