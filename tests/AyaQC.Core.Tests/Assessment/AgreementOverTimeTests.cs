using AyaQC.Core.Assessment;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Assessment;

public class AgreementOverTimeTests
{
    /// <summary>Random votes: (task, worker, label) drawn from small ranges so tasks collect several votes.</summary>
    static List<LabelVote> Votes(int[] draws) => draws.Select(d =>
    {
        var x = Math.Abs(d);
        return new LabelVote($"t{x % 7}", $"w{x / 7 % 5}", x / 35 % 2 == 0 ? "good" : "bad");
    }).ToList();

    [Property(MaxTest = 200)]
    public Property Points_rise_end_at_every_open_vote_and_the_last_is_the_labels_alpha(int[] draws, PositiveInt points)
    {
        var votes = Votes(draws);
        var known = new Dictionary<string, string> { ["t0"] = "good" };
        var n = points.Get % 30 + 1;
        var series = AssessmentLabels.AlphaOverTime(votes, known, ["good", "bad"], n);
        var open = votes.Count(v => v.Task != "t0");
        var full = AssessmentLabels.Compute(votes, known, "mv", ["good", "bad"]).Alpha;
        var rising = series.Zip(series.Skip(1)).All(p => p.First.Votes < p.Second.Votes);
        var lastIsFull = double.IsFinite(full) ? series.Count > 0 && series[^1].Votes == open && Math.Abs(series[^1].Alpha - full) < 1e-12 : true;
        return (series.Count <= n && rising && lastIsFull && series.All(p => p.Alpha is >= -1 and <= 1)).ToProperty()
            .Label($"{series.Count} points of {n}, open {open}, full α {full}");
    }

    [Fact]
    public void Agreement_falls_when_a_spammer_joins_halfway()
    {
        var votes = new List<LabelVote>();
        for (var t = 0; t < 40; t++)
            foreach (var w in new[] { "a", "b" })
                votes.Add(new LabelVote($"t{t}", w, t % 3 == 0 ? "bad" : "good"));
        for (var t = 0; t < 40; t++) votes.Add(new LabelVote($"t{t}", "spammer", t % 2 == 0 ? "bad" : "good"));
        var series = AssessmentLabels.AlphaOverTime(votes, null, ["good", "bad"], 3);
        Assert.Equal([40, 80, 120], series.Select(p => p.Votes));
        Assert.Equal(1.0, series[1].Alpha, 9);
        Assert.True(series[2].Alpha < 0.7, $"α after the spammer: {series[2].Alpha}");
    }
}
