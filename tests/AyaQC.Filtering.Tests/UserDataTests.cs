using AyaQC.Core.Filtering;

namespace AyaQC.Filtering.Tests;

/// <summary>Data from elsewhere: the card must say plainly when combining does not help, and the trees must never
/// be kept when the baseline does better on held-out rows.</summary>
public class UserDataTests
{
    static FeatureTable Linear(int rows, int seed, bool crowdCopiesMachine)
    {
        var rng = new Random(seed);
        var ids = new List<string>();
        var values = new List<double?[]>();
        var labels = new List<bool?>();
        for (var i = 0; i < rows; i++)
        {
            var good = rng.NextDouble() < 0.6;
            var signal = (good ? 0.6 : -0.6) + rng.NextDouble() * 2 - 1;
            var crowd = crowdCopiesMachine ? signal : (good ? 0.7 : 0.3) + 0.4 * (rng.NextDouble() - 0.5);
            ids.Add($"r{i}");
            values.Add([signal, crowd]);
            labels.Add(good);
        }
        return new FeatureTable(["mt_score", "crowd_p_good"], ids, values.ToArray(), labels);
    }

    /// <summary>The crowd column repeats the machine column: combining adds nothing, and the card must say so.</summary>
    [Fact]
    public void The_card_says_plainly_when_both_does_not_beat_one_group()
    {
        var model = AgreementTrainer.Train(Linear(400, 5, crowdCopiesMachine: true), new AgreementOptions { Iterations = 30 });
        Assert.False(model.Card.CombinedBeatsEach);
        Assert.Contains("does NOT", model.Card.Verdict);
        Assert.True(model.Card.HeldOut.Auc >= model.Card.BaselineHeldOut.Auc);
        Assert.True(model.Card.HeldOut.Auc >= model.Card.TreesHeldOut.Auc);
    }

    [Fact]
    public void One_group_only_is_reported_not_compared()
    {
        var table = Linear(300, 6, crowdCopiesMachine: false).Select(["mt_score"]);
        var model = AgreementTrainer.Train(table, new AgreementOptions { Iterations = 30 });
        Assert.Contains("no crowd features", model.Card.Verdict);
        Assert.False(model.Card.CombinedBeatsEach);
    }

    [Fact]
    public void Too_few_labelled_rows_is_an_error_that_says_how_many()
    {
        var table = new FeatureTable(["mt_score"], ["a", "b", "c"], [[0.1], [0.5], [0.9]], [true, false, null]);
        var e = Assert.Throws<ArgumentException>(() => AgreementTrainer.Train(table));
        Assert.Contains("have 1 good, 1 bad", e.Message);
    }
}
