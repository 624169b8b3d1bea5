using System.Globalization;
using AyaQC.Tests.Shared;

namespace AyaQC.Core.Tests.Metrics;

/// <summary>Reads ../shared/metrics-vectors: 27 edge-case pairs and sacreBLEU 2.6.0's outputs for them.</summary>
internal static class EdgeCaseVectors
{
    public static string Folder => RepoPaths.InShared("metrics-vectors");

    /// <summary>Lines split on '\n' only: the pairs contain U+001C, U+2028-like characters .NET's ReadAllLines must not split on.</summary>
    static IEnumerable<string> Lines(string file) =>
        File.ReadAllText(Path.Combine(Folder, file)).Split('\n').Where(l => l.Length > 0);

    public static IReadOnlyList<(string Hypothesis, string Reference)> Pairs() =>
        Lines("edge_cases.tsv").Select(l => l.Split('\t')).Select(f => (f[0], f[1])).ToList();

    /// <summary>Rows of an expected-output file keyed by column name; "#corpus" lines are returned separately.</summary>
    public static (List<Dictionary<string, string>> Rows, List<string[]> Corpus) Expected(string file)
    {
        var lines = Lines(file).ToList();
        var header = lines[0].Split('\t');
        var rows = new List<Dictionary<string, string>>();
        var corpus = new List<string[]>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split('\t');
            if (line.StartsWith("#corpus")) { corpus.Add(fields); continue; }
            if (line.StartsWith('#')) continue;
            var row = new Dictionary<string, string>();
            for (var i = 0; i < header.Length; i++) row[header[i]] = i < fields.Length ? fields[i] : "";
            rows.Add(row);
        }
        return (rows, corpus);
    }

    public static double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>Equal within 1e-9 relative (the team's tolerance for float outputs), or both below 1e-12.</summary>
    public static void Close(double expected, double actual, string what)
    {
        var tolerance = Math.Max(1e-12, Math.Abs(expected) * 1e-9);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
