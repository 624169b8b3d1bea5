using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using AyaQC.Tests.Shared;

namespace AyaQC.Cli.Tests.Examples;

/// <summary>docs/examples/: every `ayaqc` command its README shows runs as written (the built CLI, as a process, from
/// a folder laid out like the repository), and the example dataset is what the README says it is.</summary>
public class ExamplesTests : IDisposable
{
    static readonly string Examples = RepoPaths.InRepo("docs", "examples");
    readonly string _work = Directory.CreateTempSubdirectory("ayaqc-examples-").FullName;

    public ExamplesTests()
    {
        // The commands use repository-relative paths; outputs land under this folder's reports/tmp/.
        Directory.CreateSymbolicLink(Path.Combine(_work, "docs"), RepoPaths.InRepo("docs"));
        Directory.CreateSymbolicLink(Path.Combine(_work, "tests"), RepoPaths.InRepo("tests"));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    static IReadOnlyList<string[]> DocumentedCommands()
    {
        var commands = new List<string[]>();
        var inBlock = false;
        foreach (var line in File.ReadLines(Path.Combine(Examples, "README.md")))
        {
            if (line.StartsWith("```")) { inBlock = !inBlock; continue; }
            if (inBlock && line.StartsWith("ayaqc ")) commands.Add(line["ayaqc ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return commands;
    }

    (int Code, string Output, string Error) Ayaqc(string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ayaqc.dll");
        var dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var psi = new ProcessStartInfo(dotnet, [cli, .. args])
        {
            WorkingDirectory = _work, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, output.Result, error);
    }

    [Fact]
    public void Every_documented_command_runs_as_written()
    {
        var commands = DocumentedCommands();
        Assert.Equal(["aggregate", "backtranslate", "hter", "score"], commands.Select(c => c[0]).Distinct().Order());
        foreach (var args in commands)
        {
            var (code, output, error) = Ayaqc(args);
            Assert.True(code == 0, $"ayaqc {string.Join(' ', args)} exited {code}: {error}{output}");
            switch (args[0])
            {
                case "score":
                    Assert.Equal(13, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // 12 pairs + corpus line
                    break;
                case "hter":
                    using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_work, args[Array.IndexOf(args, "--output-dir") + 1], "hter.json"))))
                        Assert.Equal(12, report.RootElement.GetProperty("overall").GetProperty("rows").GetInt32());
                    break;
                case "aggregate":
                    Assert.Contains("eshe", output); // the random voter is among the workers listed
                    break;
                case "backtranslate":
                    var input = File.ReadLines(Path.Combine(_work, args[Array.IndexOf(args, "--input") + 1])).Count();
                    var results = File.ReadLines(Path.Combine(_work, args[Array.IndexOf(args, "--output") + 1])).ToList();
                    Assert.Equal(input, results.Count);
                    using (var first = JsonDocument.Parse(results[0]))
                    {
                        Assert.True(first.RootElement.TryGetProperty("chrf_pp", out _));
                        Assert.StartsWith("bt|", first.RootElement.GetProperty("signature").GetString());
                    }
                    break;
            }
        }
    }

    static List<Dictionary<string, string>> JsonlRows(string file) =>
        File.ReadLines(Path.Combine(Examples, file)).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        }).ToList();

    [Fact]
    public void The_dataset_has_300_rows_good_and_bad_with_each_flaw_and_the_seed_talks_rows()
    {
        var rows = JsonlRows("en-sw-dataset.jsonl");
        Assert.True(rows.Count >= 300, $"{rows.Count} rows");
        Assert.Equal(rows.Count, rows.Select(r => r["id"]).Distinct().Count());
        Assert.All(rows, r =>
        {
            Assert.Equal("eng_Latn", r["source_lang"]);
            Assert.Equal("swh_Latn", r["target_lang"]);
            Assert.Contains(r["label"], new[] { "good", "bad" });
            Assert.Equal(r["label"] == "bad", r.ContainsKey("error_type"));
            Assert.InRange(double.Parse(r["mt_score"], System.Globalization.CultureInfo.InvariantCulture), 0, 1);
        });
        foreach (var (source, translation) in new[]
                 {
                     ("Heartbreak Hotel", "Hoteli ya Moyo"), ("where do aliens come from", "wageni wanatoka wapi"),
                     ("Because whisky is Manly.", "Kwa sababu whisky ni Mwanaume"),
                 })
            Assert.Contains(rows, r => r["source"] == source && r["translation"] == translation && r["label"] == "bad");
        var flaws = rows.Where(r => r["label"] == "bad").GroupBy(r => r["error_type"]).ToDictionary(g => g.Key, g => g.Count());
        foreach (var flaw in new[] { "word_sense", "low_similarity", "untranslated", "wrong_script", "number_mismatch", "empty", "truncated", "length_ratio", "literal_name", "gender_register" })
            Assert.True(flaws.GetValueOrDefault(flaw) >= 5, $"{flaw}: {flaws.GetValueOrDefault(flaw)} rows");
        var good = rows.Count(r => r["label"] == "good");
        Assert.InRange(good, rows.Count / 3, 2 * rows.Count / 3);

        // The README's table of flaws and its totals are the file's.
        var readme = File.ReadAllText(Path.Combine(Examples, "README.md"));
        foreach (Match m in Regex.Matches(readme, @"^\| `(\w+)` \| (\d+) \|", RegexOptions.Multiline))
            Assert.True(flaws.GetValueOrDefault(m.Groups[1].Value) == int.Parse(m.Groups[2].Value), $"README says {m.Value}, the file has {flaws.GetValueOrDefault(m.Groups[1].Value)}");
        Assert.Contains($"{rows.Count} dataset rows", readme);
        Assert.Contains($"{good} good rows and {rows.Count - good} bad ones", readme);
    }

    [Fact]
    public void The_csv_twin_holds_the_same_rows()
    {
        var jsonl = JsonlRows("en-sw-dataset.jsonl");
        var csv = Csv(File.ReadAllText(Path.Combine(Examples, "en-sw-dataset.csv")));
        var header = csv[0];
        Assert.Equal(["id", "source_lang", "target_lang", "source", "translation"], header.Take(5));
        Assert.Equal(jsonl.Count, csv.Count - 1);
        for (var i = 0; i < jsonl.Count; i++)
        {
            var fromCsv = header.Zip(csv[i + 1]).Where(p => p.Second != "").ToDictionary(p => p.First, p => p.Second);
            var fromJsonl = jsonl[i].Where(p => p.Value != "").ToDictionary();
            Assert.Equal(fromJsonl.OrderBy(p => p.Key), fromCsv.OrderBy(p => p.Key));
        }
    }

    [Fact]
    public void The_small_files_come_from_the_dataset_and_agree_with_each_other()
    {
        var dataset = JsonlRows("en-sw-dataset.jsonl").ToDictionary(r => r["id"]);
        foreach (var row in JsonlRows("backtranslate-rows.jsonl"))
        {
            Assert.Equal(dataset[row["id"]]["source"], row["source"]);
            Assert.Equal(dataset[row["id"]]["translation"], row["translation"]);
        }
        var postEdits = JsonlRows("post-edits.jsonl");
        Assert.Equal(postEdits.Select(r => $"{r["translation"]}\t{r["post_edit"]}"), File.ReadLines(Path.Combine(Examples, "pairs.tsv")));
        var tasks = File.ReadLines(Path.Combine(Examples, "answers.tsv")).Skip(1).Select(l => l.Split('\t')[0]).ToHashSet();
        Assert.All(tasks, t => Assert.True(dataset.ContainsKey(t), t));
        foreach (var line in File.ReadLines(Path.Combine(Examples, "gold.tsv")).Skip(1))
        {
            var (task, label) = (line.Split('\t')[0], line.Split('\t')[1]);
            Assert.Contains(task, tasks);
            Assert.Equal(dataset[task]["label"], label);
        }
    }

    /// <summary>RFC 4180: fields separated by commas, quoted when they hold commas, quotes or line breaks.</summary>
    static List<string[]> Csv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add(fields.ToArray());
                fields.Clear();
            }
            else field.Append(c);
        }
        return records;
    }
}
