using AyaQC.Core.Crowd;

namespace AyaQC.Core.Tests.Crowd;

public class TieAndInputTests
{
    static CrowdAnswers TiedTasks(int tasks)
    {
        var builder = new CrowdAnswersBuilder();
        for (var t = 0; t < tasks; t++) builder.Add("task" + t, "a", "yes").Add("task" + t, "b", "no");
        return builder.Build();
    }

    [Fact]
    public void Crowd_kit_tie_rule_picks_the_first_label_in_sorted_order()
    {
        var result = new MajorityVote { Ties = TieRule.LowestLabel }.Aggregate(TiedTasks(50));
        Assert.All(Enumerable.Range(0, 50), t => Assert.Equal("no", result.LabelName(t)));
        Assert.Contains("ties:lowest", result.Signature);
    }

    [Fact]
    public void Task_hash_tie_rule_is_fixed_per_task_and_favours_no_label()
    {
        var answers = TiedTasks(200);
        var first = new MajorityVote().Aggregate(answers);
        var second = new MajorityVote().Aggregate(answers);
        Assert.Equal(first.Labels, second.Labels);
        var yes = first.Labels.Count(l => answers.LabelNames[l] == "yes");
        Assert.InRange(yes, 70, 130); // a fair coin over 200 tasks
        Assert.Contains("ties:task-hash", first.Signature);
    }

    [Fact]
    public void Labels_are_numbered_in_ordinal_order_and_tasks_in_first_appearance()
    {
        var answers = new CrowdAnswersBuilder().Add("t2", "w", "b").Add("t1", "w", "a").Add("t2", "x", "c").Build();
        Assert.Equal(["a", "b", "c"], answers.LabelNames);
        Assert.Equal(["t2", "t1"], answers.TaskNames);
        Assert.Equal([0, 2, 3], answers.TaskStart.ToArray());
        Assert.Equal(2, answers.VotesByWorker(0));
    }

    [Fact]
    public void Missing_column_is_reported_with_its_name()
    {
        var error = Assert.Throws<FormatException>(() => CrowdTsv.ReadAnswers(new StringReader("task\tlabel\n1\ta\n"), "a.tsv"));
        Assert.Contains("a.tsv line 1", error.Message);
        Assert.Contains("'worker'", error.Message);
    }

    [Fact]
    public void Short_row_is_reported_with_its_line()
    {
        var error = Assert.Throws<FormatException>(() => CrowdTsv.ReadAnswers(new StringReader("task\tworker\tlabel\n1\tw\ta\n2\tw\n"), "a.tsv"));
        Assert.Contains("a.tsv line 3", error.Message);
        Assert.Contains("'label'", error.Message);
    }

    [Fact]
    public void Conflicting_gold_is_an_error()
    {
        var error = Assert.Throws<FormatException>(() => CrowdTsv.ReadTaskLabels(new StringReader("task\tlabel\n1\ta\n1\tb\n"), "g.tsv"));
        Assert.Contains("g.tsv line 3", error.Message);
    }
}

public class EdgeCaseTests
{
    public static IEnumerable<object[]> AllMethods() => CrowdMethods.Names.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void A_single_label_crowd_gives_that_label_with_certainty(string method)
    {
        var builder = new CrowdAnswersBuilder();
        for (var t = 0; t < 20; t++)
            for (var w = 0; w < 3; w++) builder.Add("t" + t, "w" + ((t + w) % 5), "ok");
        var result = CrowdMethods.Create(method).Aggregate(builder.Build());
        Assert.All(Enumerable.Range(0, 20), t => Assert.Equal(1.0, result.Posterior(t)[0], 9));
        Assert.All(result.Skills.Accuracy, a => Assert.False(double.IsNaN(a)));
    }

    [Fact]
    public void Unknown_method_names_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => CrowdMethods.Create("zebra"));
        Assert.Contains("mv, wawa, ds, onecoin, glad, mace", error.Message);
    }
}
