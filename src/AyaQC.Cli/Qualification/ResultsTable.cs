using AyaQC.Contracts;
using Spectre.Console;

namespace AyaQC.Cli.Qualification;

/// <summary>Spectre.Console rendering of round results.</summary>
public static class ResultsTable
{
    public static Table PerAssessor(RoundResultsResponse results, Func<AssessorResult, string>? group = null)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"Round {Markup.Escape(results.Round.Name)} ({results.Round.Id})");
        table.AddColumn("assessor");
        if (group is not null) table.AddColumn("profile");
        foreach (var c in new[] { "decision", "early", "answered", "saved", "accuracy", "bal. acc.", "kappa", "bad recall", "Wilson 95%" })
            table.AddColumn(new TableColumn(c).RightAligned());
        if (results.TopK is not null) table.AddColumn("top-k");
        foreach (var a in results.Assessors)
        {
            var row = new List<string> { Markup.Escape(a.Name) };
            if (group is not null) row.Add(group(a));
            row.AddRange([Decision(a.Decision), a.DecidedEarly ? "yes" : "", $"{a.Answered}/{a.Planned}", a.ItemsSaved.ToString(),
                Num(a.Accuracy), Num(a.BalancedAccuracy), Num(a.CohensKappa), Num(a.BadRecall), $"{Num(a.WilsonLow)}–{Num(a.WilsonHigh)}"]);
            if (results.TopK is not null) row.Add(a.Selected == true ? "[green]selected[/]" : "");
            table.AddRow(row.ToArray());
        }
        table.Caption(Markup.Escape(results.Signature));
        return table;
    }

    /// <summary>Counts of decisions per group (e.g. per simulated profile).</summary>
    public static Table ByGroup(RoundResultsResponse results, Func<AssessorResult, string> group)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Decisions by assessor profile");
        foreach (var c in new[] { "profile", "n", "pass", "fail", "undecided", "early", "saved", "accuracy", "bad recall" })
            table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var g in results.Assessors.GroupBy(group).OrderBy(g => g.Key))
            table.AddRow(g.Key, g.Count().ToString(),
                Decision("pass", g.Count(a => a.Decision == "pass")), Decision("fail", g.Count(a => a.Decision == "fail")),
                g.Count(a => a.Decision == "undecided").ToString(), g.Count(a => a.DecidedEarly).ToString(), g.Sum(a => a.ItemsSaved).ToString(),
                Num(g.Average(a => a.Accuracy)), Num(g.Where(a => a.BadRecall is not null).Select(a => a.BadRecall!.Value).DefaultIfEmpty(double.NaN).Average()));
        var s = results.Summary;
        table.Caption($"{s.Assessors} assessors: {s.Passed} pass, {s.Failed} fail, {s.Undecided} undecided; {s.DecidedEarly} decided early, {s.ItemsSaved} items saved; {s.Answers} answers");
        return table;
    }

    static string Decision(string d) => d switch
    {
        "pass" => "[green]pass[/]",
        "fail" => "[red]fail[/]",
        _ => "[yellow]undecided[/]",
    };

    static string Decision(string d, int n) => n == 0 ? "0" : d == "pass" ? $"[green]{n}[/]" : $"[red]{n}[/]";

    static string Num(double? x) => x is { } v && double.IsFinite(v) ? v.ToString("0.000") : "–";
}
