using AyaQC.Contracts;

namespace AyaQC.Server.Apis;

/// <summary>Reads crowd-kit shaped answers (tab-separated, header naming task, worker, label in any order) with line numbers.</summary>
public static class AnswersTsv
{
    public const int MaxProblems = 100;

    public static async Task<(List<(int Line, string Task, string Worker, string Label)> Answers, List<FieldProblem> Problems)> ReadAsync(Stream body, CancellationToken ct)
    {
        var answers = new List<(int, string, string, string)>();
        var problems = new List<FieldProblem>();
        using var reader = new StreamReader(body);
        var header = await reader.ReadLineAsync(ct);
        if (header is null) { problems.Add(new(1, "(header)", "empty file: expected a header row with task, worker, label")); return (answers, problems); }
        var names = header.Split('\t').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var columns = new[] { "task", "worker", "label" }.Select(c => (Name: c, Index: Array.IndexOf(names, c))).ToArray();
        foreach (var (name, index) in columns)
            if (index < 0) problems.Add(new(1, name, $"the header has no '{name}' column (found: {string.Join(", ", names)})"));
        if (problems.Count > 0) return (answers, problems);
        var lineNo = 1;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var fields = line.Split('\t');
            var values = new string[3];
            for (var c = 0; c < 3; c++)
            {
                var (name, index) = columns[c];
                values[c] = index < fields.Length ? fields[index].Trim() : "";
                if (values[c].Length == 0 && problems.Count < MaxProblems) problems.Add(new(lineNo, name, index < fields.Length ? "is empty" : "is missing"));
            }
            answers.Add((lineNo, values[0], values[1], values[2]));
        }
        return (answers, problems);
    }
}
