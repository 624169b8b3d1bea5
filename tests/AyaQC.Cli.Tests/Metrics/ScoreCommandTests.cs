using AyaQC.Tests.Shared;

namespace AyaQC.Cli.Tests.Metrics;

public class ScoreCommandTests
{
    [SharedDataFact]
    public async Task Ter_lines_match_sacrebleu_expected_outputs_for_the_shared_edge_cases()
    {
        using var cli = new MetricsCli();
        var input = RepoPaths.InShared("metrics-vectors", "edge_cases.tsv");
        var (code, output, error) = await cli.Run("score", "--metric", "ter", "--input", input);
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = File.ReadAllText(RepoPaths.InShared("metrics-vectors", "edge_cases.expected.tsv")).Split('\n')
            .Skip(1).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')).ToList();
        Assert.Equal(expected.Count + 1, lines.Length);
        for (var i = 0; i < expected.Count; i++)
            Assert.Equal($"{expected[i][1]}\t{expected[i][2]}\t{expected[i][3]}", lines[i]);
        Assert.StartsWith("#corpus\tTER\t92.93193717277487\tedits=355\tref_len=382\tnrefs:1|case:lc|tok:tercom", lines[^1]);
    }

    [SharedDataTheory]
    [InlineData("chrf", 4, "chrf")]
    [InlineData("chrf++", 5, "chrf++")]
    [InlineData("bleu", 6, "bleu")]
    public async Task ChrF_and_bleu_lines_are_the_same_strings_sacrebleu_printed(string metric, int column, string corpusKey)
    {
        using var cli = new MetricsCli();
        var input = RepoPaths.InShared("metrics-vectors", "edge_cases.tsv");
        var expectedLines = File.ReadAllText(RepoPaths.InShared("metrics-vectors", "edge_cases.expected.tsv")).Split('\n');
        var expected = expectedLines.Skip(1).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')).ToList();
        var (code, output, error) = await cli.Run("score", "--metric", metric, "--input", input);
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Same operations in the same order as sacreBLEU, so the shortest round-trip digits agree exactly.
        Assert.Equal(expected.Select(e => e[column]), lines[..^1]);
        var corpus = expectedLines.Single(l => l.StartsWith("#corpus\t" + corpusKey + "\t")).Split('\t')[2];
        Assert.Equal(corpus, lines[^1].Split('\t')[2]);
    }

    [Fact]
    public async Task Options_reach_the_metric_and_output_goes_to_a_file()
    {
        using var cli = new MetricsCli();
        var input = cli.File("pairs.tsv", "The Cat sat.\tthe cat sat\nhabari ya asubuhi\thabari za asubuhi\n");
        var output = cli.PathOf("scores.tsv");
        var (code, _, error) = await cli.Run("score", "--metric", "ter", "--case-sensitive", "--no-punct", "--input", input, "--output", output);
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(output);
        Assert.Equal("66.66666666666666\t2\t3", lines[0]); // "The"/"Cat" differ in case; the period is dropped
        Assert.Equal("33.33333333333333\t1\t3", lines[1]);
        Assert.Equal("#corpus\tTER\t50\tedits=3\tref_len=6\tnrefs:1|case:mixed|tok:tercom|norm:no|punct:no|asian:no|version:ayaqc-1", lines[2]);
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public async Task A_line_without_exactly_one_tab_is_rejected_by_number_and_nothing_is_written()
    {
        using var cli = new MetricsCli();
        var input = cli.File("bad.tsv", "a b\ta b\nno tab here\n");
        var output = cli.PathOf("scores.tsv");
        var (code, _, error) = await cli.Run("score", "--metric", "chrf", "--input", input, "--output", output);
        Assert.Equal(1, code);
        Assert.Contains("line 2", error);
        Assert.Contains("exactly one tab", error);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public async Task A_pair_too_long_to_align_is_reported_by_line()
    {
        using var cli = new MetricsCli();
        var huge = string.Join(' ', Enumerable.Repeat("neno", 4100));
        var input = cli.File("long.tsv", "a\ta\n" + huge + "\t" + huge + "\n");
        var (code, _, error) = await cli.Run("score", "--metric", "ter", "--input", input, "--output", cli.PathOf("out.tsv"));
        Assert.Equal(1, code);
        Assert.Contains("line 2: TER: a 4100-word hypothesis against a 4100-word reference is too long", error);
        // chrF has no such limit.
        (code, _, error) = await cli.Run("score", "--metric", "chrf", "--input", input, "--output", cli.PathOf("out.tsv"));
        Assert.True(code == 0, error);
    }

    [Fact]
    public async Task Missing_input_and_unknown_metric_are_clear_errors()
    {
        using var cli = new MetricsCli();
        var (code, _, error) = await cli.Run("score", "--metric", "ter", "--input", cli.PathOf("nope.tsv"));
        Assert.Equal(1, code);
        Assert.Contains("file not found", error);
        (code, _, error) = await cli.Run("score", "--metric", "meteor", "--input", cli.PathOf("nope.tsv"));
        Assert.NotEqual(0, code);
        Assert.Contains("meteor", error);
    }
}
