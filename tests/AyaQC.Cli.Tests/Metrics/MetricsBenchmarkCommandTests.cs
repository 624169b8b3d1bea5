using System.Text.Json;

namespace AyaQC.Cli.Tests.Metrics;

public class MetricsBenchmarkCommandTests
{
    [Fact]
    public async Task Small_run_writes_json_with_every_metric()
    {
        using var cli = new MetricsCli();
        var path = cli.PathOf("bench/metrics.json");
        var (code, output, error) = await cli.Run("bench", "metrics", "--pairs", "200", "--repeats", "1", "--output", path);
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var metrics = json.RootElement.GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal(["TER", "chrF", "chrF++", "BLEU"], metrics.Select(m => m.GetProperty("metric").GetString()));
        Assert.All(metrics, m => Assert.True(m.GetProperty("pairs_per_second").GetDouble() > 0));
        Assert.All(metrics, m => Assert.InRange(m.GetProperty("mean_score").GetDouble(), 1, 99));
        Assert.Equal(200, json.RootElement.GetProperty("pairs").GetInt32());
        Assert.Contains("pairs/s", output);
    }

    [Fact]
    public void Synthetic_pairs_are_deterministic_and_within_the_length_range()
    {
        var a = new AyaQC.Cli.Metrics.SyntheticPairs(7).Generate(300, 15, 40);
        var b = new AyaQC.Cli.Metrics.SyntheticPairs(7).Generate(300, 15, 40);
        Assert.Equal(a, b);
        Assert.All(a, p => Assert.InRange(p.Reference.Split(' ').Length, 15, 40));
        Assert.Contains(a, p => p.Hypothesis != p.Reference);
        Assert.Contains(a, p => p.Hypothesis == p.Reference);
    }
}
