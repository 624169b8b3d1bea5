using AyaQC.Core.Agreement;
using AyaQC.Core.Crowd;
using AyaQC.Tests.Shared;

namespace AyaQC.Core.Tests.Crowd;

public class AgreementTests
{
    /// <summary>Builds answers from coder rows; "." is a missing value. Column = unit (task).</summary>
    static CrowdAnswers FromCoders(params string[] coders)
    {
        var builder = new CrowdAnswersBuilder();
        for (var c = 0; c < coders.Length; c++)
        {
            var values = coders[c].Split(' ');
            for (var u = 0; u < values.Length; u++)
                if (values[u] != ".") builder.Add("u" + u, "c" + c, values[u]);
        }
        return builder.Build();
    }

    [Fact]
    public void Krippendorff_two_coders_binary_example()
    {
        var answers = FromCoders("0 1 0 0 0 0 0 0 1 0", "1 1 1 0 0 1 0 0 0 0");
        Assert.Equal(0.095238, KrippendorffAlpha.Nominal(answers), 6);
    }

    [Fact]
    public void Krippendorff_four_coders_with_missing_values_example()
    {
        var answers = FromCoders(
            "1 2 3 3 2 1 4 1 2 . . .",
            "1 2 3 3 2 2 4 1 2 5 . 3",
            ". 3 3 3 2 3 4 2 2 5 1 .",
            "1 2 3 3 2 4 4 1 2 5 1 .");
        Assert.Equal(0.743421, KrippendorffAlpha.Nominal(answers), 6);
    }

    [Fact]
    public void Krippendorff_is_one_when_a_single_value_occurs()
    {
        Assert.Equal(1.0, KrippendorffAlpha.Nominal(FromCoders("a a a", "a a a")));
    }

    [SharedDataTheory]
    [InlineData("bluebirds", 0.1255)]
    [InlineData("temp", 0.2234)]
    [InlineData("rte", 0.2415)]
    [InlineData("dog", 0.5194)]
    [InlineData("web", 0.2104)]
    public void Krippendorff_matches_crowd_kit_on_shared_data(string set, double expected)
    {
        Assert.Equal(expected, KrippendorffAlpha.Nominal(SharedCrowdData.Load(set).Answers), 4);
    }

    [Fact]
    public void Fleiss_kappa_matches_the_textbook_example()
    {
        // Fleiss (1971)-style table from the Wikipedia worked example: 10 subjects, 14 raters, 5 categories; κ = 0.210.
        int[][] table =
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ];
        var builder = new CrowdAnswersBuilder();
        for (var s = 0; s < table.Length; s++)
        {
            var rater = 0;
            for (var c = 0; c < 5; c++)
                for (var i = 0; i < table[s][c]; i++) builder.Add("s" + s, "r" + rater++, "c" + c);
        }
        var answers = builder.Build();
        Assert.Equal(0.210, FleissKappa.Compute(answers), 3);
        Assert.Equal(0.378, FleissKappa.PercentAgreement(answers), 3);
    }

    [Fact]
    public void Cohen_kappa_of_two_raters()
    {
        // 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 → p_o = 0.7, p_e = 0.5, κ = 0.4.
        var builder = new CrowdAnswersBuilder();
        var item = 0;
        void Add(int n, string a, string b)
        {
            for (var i = 0; i < n; i++, item++) { builder.Add("i" + item, "A", a); builder.Add("i" + item, "B", b); }
        }
        Add(20, "yes", "yes"); Add(5, "yes", "no"); Add(10, "no", "yes"); Add(15, "no", "no");
        var answers = builder.Build();
        Assert.Equal(0.4, CohenKappa.Between(answers, 0, 1), 10);
        var pair = Assert.Single(CohenKappa.AllPairs(answers, minSharedTasks: 1));
        Assert.Equal((0, 1, 50), (pair.WorkerA, pair.WorkerB, pair.SharedTasks));
        Assert.Equal(0.4, pair.Kappa, 10);
    }

    [Fact]
    public void Entropy_is_zero_for_certain_and_log_k_for_uniform()
    {
        Assert.Equal(0.0, PosteriorEntropy.Of([0, 1, 0]));
        Assert.Equal(Math.Log(3), PosteriorEntropy.Of([1 / 3.0, 1 / 3.0, 1 / 3.0]), 12);
    }
}
