using System.CommandLine;
using System.Text.Json;
using AyaQC.Cli.Crowd;
using AyaQC.Tests.Shared;

namespace AyaQC.Cli.Tests.Crowd;

public class CrowdCliTests : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("ayaqc-crowd-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        var bench = new Command("bench");
        var simulate = new Command("simulate");
        CrowdCommands.AddTo(root, bench, simulate);
        root.Subcommands.Add(bench);
        root.Subcommands.Add(simulate);
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    static string Shared(string set, string file) => RepoPaths.InShared("crowd-data", set, file);

    [SharedDataFact]
    public void Aggregate_prints_accuracy_skills_and_agreement()
    {
        var (exit, output, error) = Run("aggregate", "--answers", Shared("bluebirds", "answers.tsv"), "--gold", Shared("bluebirds", "gold.tsv"), "--method", "ds");
        Assert.True(exit == 0, error);
        Assert.Contains("accuracy    0.8889 on 108 gold tasks", output);
        Assert.Contains("Krippendorff alpha 0.1255", output);
        Assert.Contains("ds|ties:task-hash|iter:100", output);
        Assert.Contains("gold accuracy", output);
    }

    [SharedDataFact]
    public void Aggregate_json_carries_every_worker_and_confusion_matrices()
    {
        var (exit, output, error) = Run("aggregate", "--answers", Shared("web", "answers.tsv"), "--gold", Shared("web", "gold.tsv"),
            "--method", "mv", "--ties", "crowdkit", "--json");
        Assert.True(exit == 0, error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(0.7765, json.GetProperty("accuracy").GetDouble(), 4);
        Assert.Equal(177, json.GetProperty("workerSkills").GetArrayLength());
        Assert.Equal(0.2104, json.GetProperty("agreement").GetProperty("krippendorffAlpha").GetDouble(), 4);
        Assert.StartsWith("mv|ties:lowest", json.GetProperty("signature").GetString());

        var (_, dsOutput, _) = Run("aggregate", "--answers", Shared("web", "answers.tsv"), "--method", "ds", "--json");
        var first = JsonDocument.Parse(dsOutput).RootElement.GetProperty("workerSkills")[0].GetProperty("confusion");
        Assert.Equal(5, first.GetArrayLength());
    }

    [Fact]
    public void Aggregate_holds_known_labels_and_writes_the_labels_file()
    {
        var answers = Path.Combine(temp, "answers.tsv");
        File.WriteAllText(answers, "task\tworker\tlabel\nq1\ta\tgood\nq1\tb\tgood\nq1\tc\tbad\nq2\ta\tbad\nq2\tb\tbad\n");
        var known = Path.Combine(temp, "known.tsv");
        File.WriteAllText(known, "task\tlabel\nq1\tbad\n");
        var labels = Path.Combine(temp, "out", "labels.tsv");
        var (exit, _, error) = Run("aggregate", "--answers", answers, "--known", known, "--method", "ds", "--out", labels);
        Assert.True(exit == 0, error);
        var lines = File.ReadAllLines(labels);
        Assert.Equal("task\tlabel\tposterior\tentropy", lines[0]);
        Assert.StartsWith("q1\tbad\t1\t", lines[1]);
        Assert.StartsWith("q2\tbad\t", lines[2]);
    }

    [Fact]
    public void Aggregate_reports_bad_input_with_the_line()
    {
        var answers = Path.Combine(temp, "bad.tsv");
        File.WriteAllText(answers, "task\tworker\tlabel\nq1\ta\tgood\nq2\tb\n");
        var (exit, _, error) = Run("aggregate", "--answers", answers);
        Assert.Equal(1, exit);
        Assert.StartsWith("error: ", error);
        Assert.Contains("bad.tsv line 3", error);
        var (missingExit, _, missingError) = Run("aggregate", "--answers", Path.Combine(temp, "none.tsv"));
        Assert.Equal(1, missingExit);
        Assert.Contains("file not found", missingError);
    }

    [Fact]
    public void Simulate_overlap_writes_a_report_comparing_fixed_and_dynamic()
    {
        var report = Path.Combine(temp, "overlap.json");
        var (exit, output, error) = Run("simulate", "overlap", "--tasks", "400", "--workers", "40", "--out", report);
        Assert.True(exit == 0, error);
        Assert.Contains("dynamic", output);
        var outcomes = JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("outcomes");
        Assert.Equal(["fixed-3", "fixed-5", "dynamic"], outcomes.EnumerateArray().Select(o => o.GetProperty("strategy").GetString()));
        Assert.Equal(1200, outcomes[0].GetProperty("votes").GetInt64());
    }

    [SharedDataFact]
    public void Bench_measures_one_method_in_process()
    {
        var (exit, output, error) = Run("bench", "crowd", "--measure", "ds", "--dataset", "bluebirds", "--data", RepoPaths.InShared("crowd-data"));
        Assert.True(exit == 0, error);
        var run = JsonDocument.Parse(output).RootElement;
        Assert.Equal(0.8889, run.GetProperty("Accuracy").GetDouble(), 4);
        Assert.Equal(4212, run.GetProperty("Votes").GetInt64());
        Assert.True(run.GetProperty("PeakWorkingSetMiB").GetDouble() > 0);
        Assert.Equal(0.05, run.GetProperty("CrowdKitSeconds").GetDouble());
    }

    [SharedDataFact]
    public void Bench_runs_children_and_writes_the_report()
    {
        var report = Path.Combine(temp, "crowd.json");
        var (exit, output, error) = Run("bench", "crowd", "--sets", "temp", "--methods", "mv", "wawa", "--data", RepoPaths.InShared("crowd-data"), "--out", report);
        Assert.True(exit == 0, error + output);
        var runs = JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("runs");
        Assert.Equal(2, runs.GetArrayLength());
        Assert.Equal(0.9394, runs[0].GetProperty("accuracy").GetDouble(), 4);
        Assert.False(runs[1].TryGetProperty("error", out _));
    }
}
