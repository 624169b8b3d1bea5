using System.CommandLine;
using AyaQC.Cli.Filtering;
using AyaQC.Core.Filtering;

namespace AyaQC.Cli.Tests.Filtering;

public class FilterCliTests : IDisposable
{
    readonly string _temp = Directory.CreateTempSubdirectory("ayaqc-filter-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        var bench = new Command("bench");
        var simulate = new Command("simulate");
        FilterCommands.AddTo(root, bench, simulate);
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    string SimulatedRows(string name, int rows)
    {
        var sim = FilterSimulation.Generate(new FilterSimulationOptions { Rows = rows, Seed = 5, LabelledShare = 0.6 });
        var path = Path.Combine(_temp, name);
        using var writer = new StreamWriter(path);
        FeatureTableWriter.Write(RowFeatures.Table(sim.Select(r => (r.Signals, r.TrustedLabel))), writer);
        return path;
    }

    [Fact]
    public void Train_then_apply_on_files_writes_a_decision_per_row()
    {
        var rows = SimulatedRows("rows.tsv", 900);
        var model = Path.Combine(_temp, "model.zip");
        var (exit, output, error) = Run("filter", "train", "--rows", rows, "--label", "label", "--model", model, "--seed", "2");
        Assert.True(exit == 0, error);
        Assert.Contains("lbfgs-lr baseline", output);
        Assert.Contains("signature: agree|", output);
        Assert.True(File.Exists(model));

        var decisions = Path.Combine(_temp, "decisions.tsv");
        (exit, output, error) = Run("filter", "apply", "--model", model, "--rows", rows, "--output", decisions);
        Assert.True(exit == 0, error);
        var lines = File.ReadAllLines(decisions);
        Assert.Equal("id\tp_good\tdecision\treasons", lines[0]);
        Assert.Equal(File.ReadAllLines(rows).Length, lines.Length);
        var seed = lines.Single(l => l.StartsWith(FilterSimulation.HeartbreakHotel + "\t", StringComparison.Ordinal)).Split('\t');
        Assert.NotEqual("keep", seed[2]);   // a small training set: drop or review
        Assert.All(lines.Skip(1), l => Assert.Contains(l.Split('\t')[2], new[] { "keep", "review", "drop" }));
        Assert.StartsWith("crowd_", seed[3]);
        Assert.Matches(@"^\d+ rows: \d+ keep, \d+ review, \d+ drop", output);
    }

    [Fact]
    public void Explicit_features_and_bad_cells_are_reported_by_line_and_column()
    {
        var rows = Path.Combine(_temp, "bad.csv");
        File.WriteAllText(rows, "id,label,mt_score,source\nr1,good,0.9,Hello\nr2,bad,high,Bye\n");
        var (exit, _, error) = Run("filter", "train", "--rows", rows, "--label", "label", "--features", "mt_score", "--model", Path.Combine(_temp, "m.zip"));
        Assert.Equal(1, exit);
        Assert.Contains("bad.csv line 3, column 'mt_score': 'high' is not a number", error);

        (exit, _, error) = Run("filter", "apply", "--model", rows, "--rows", rows, "--output", Path.Combine(_temp, "d.tsv"));
        Assert.Equal(1, exit);
        Assert.Contains("bad.csv", error);
    }
}
