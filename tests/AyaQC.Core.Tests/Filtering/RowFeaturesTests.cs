using AyaQC.Core.Filtering;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Filtering;

public class RowFeaturesTests
{
    [Fact]
    public void A_row_with_no_signals_has_missing_features_not_zeros()
    {
        var f = RowFeatures.Of(new RowSignals("r1"));
        Assert.Equal(0, f[RowFeatures.CrowdVotes]);
        foreach (var name in RowFeatures.Fixed.Where(n => n != RowFeatures.CrowdVotes))
            Assert.Null(f[name]);
    }

    [Fact]
    public void Crowd_features_weigh_each_vote_by_skill()
    {
        var votes = new[] { new RowVote(true, 0.9, true), new RowVote(false, 0.6, false), new RowVote(true, 0.7, true) };
        var f = RowFeatures.Of(new RowSignals("r") { Votes = votes });
        // log-odds: ln 9 − ln 1.5 + ln(7/3)
        var expected = 1 / (1 + Math.Exp(-(Math.Log(9) - Math.Log(1.5) + Math.Log(7.0 / 3))));
        Assert.Equal(expected, f[RowFeatures.CrowdPGood]!.Value, 12);
        Assert.Equal(3, f[RowFeatures.CrowdVotes]);
        Assert.Equal(2.2 / 3, f[RowFeatures.CrowdSkillMean]!.Value, 12);
        Assert.Equal(0.6, f[RowFeatures.CrowdSkillMin]);
        Assert.Equal(2.0 / 3, f[RowFeatures.CrowdVerifiedShare]!.Value, 12);
        Assert.Equal(CrowdPosterior.Entropy(expected), f[RowFeatures.CrowdEntropy]!.Value, 12);
    }

    [Fact]
    public void Machine_and_post_edit_signals_become_features()
    {
        var f = RowFeatures.Of(new RowSignals("r")
        {
            BackTranslationChrF = 41.5, BackTranslationLengthRatio = 0.8,
            Flags = new Dictionary<string, bool> { ["bt"] = true, ["numbers"] = false },
            Translation = "wageni wanatoka wapi", AcceptedPostEdit = "viumbe wa anga wanatoka wapi",
            NumericSignals = new Dictionary<string, double?> { ["mt_score"] = 0.42, ["qe"] = null },
        });
        Assert.Equal(41.5, f[RowFeatures.BtChrF]);
        Assert.Equal(0.8, f[RowFeatures.BtLengthRatio]);
        Assert.Equal(1, f["flag_bt"]);
        Assert.Equal(0, f["flag_numbers"]);
        Assert.Equal(0.42, f["mt_score"]);
        Assert.Null(f["qe"]);
        // hyp "wageni wanatoka wapi" vs ref "viumbe wa anga wanatoka wapi": 1 substitution + 2 insertions over 5 words.
        Assert.Equal(0.6, f[RowFeatures.PostEditHter]!.Value, 12);
    }

    [Property(MaxTest = 200)]
    public bool Another_good_vote_never_lowers_the_posterior(NonEmptyArray<bool> goods, PositiveInt skillSeed)
    {
        var rng = new Random(skillSeed.Get);
        var votes = goods.Get.Select(g => new RowVote(g, 0.5 + 0.49 * rng.NextDouble(), false)).ToList();
        var before = CrowdPosterior.Good(votes);
        votes.Add(new RowVote(true, 0.5 + 0.49 * rng.NextDouble(), false));
        return CrowdPosterior.Good(votes) >= before;
    }

    [Fact]
    public void Table_lists_fixed_columns_then_every_flag_and_signal()
    {
        var table = RowFeatures.Table([
            (new RowSignals("a") { Flags = new Dictionary<string, bool> { ["bt"] = false } }, true),
            (new RowSignals("b") { NumericSignals = new Dictionary<string, double?> { ["mt_score"] = 0.3 } }, false),
        ]);
        Assert.Equal(RowFeatures.Fixed.Concat(["flag_bt", "mt_score"]), table.Columns);
        Assert.Null(table.Values[1][table.ColumnIndex("flag_bt")]);
        Assert.Null(table.Values[0][table.ColumnIndex("mt_score")]);
        Assert.Equal(0.3, table.Values[1][table.ColumnIndex("mt_score")]);
    }
}
