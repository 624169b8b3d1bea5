using System.Globalization;
using System.Net;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Pages;

/// <summary>
/// The round's results and dashboard are built from the decisions the round grain holds, not from the answers:
/// every number they show must still equal a rescoring of the stored answers from scratch.
/// </summary>
public class RoundNumbersTests
{
    static string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    static string Decision(AssessorScore s) => s.Decision switch { QualificationDecision.Pass => "pass", QualificationDecision.Fail => "fail", _ => "undecided" };

    [Fact]
    public async Task Results_and_dashboard_numbers_equal_a_rescoring_of_the_stored_answers()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite);
        var (_, assessors, round) = await api.OpenRoundAsync(assessors: 5, itemsPerAssessor: 24, policy: new RoundPolicy(MinItemsBeforeEarlyStop: 8));
        var store = api.Server.Services.GetRequiredService<IQualificationStore>();
        // Right on every item; wrong on every item; right 2 of 3 (naming error types); 5 answers; none.
        Func<int, bool>[] right = [_ => true, _ => false, i => i % 3 != 0, i => i % 2 == 0];
        int[] count = [24, 24, 24, 5];
        for (var k = 0; k < right.Length; k++)
        {
            var me = api.As(assessors[k].Token!);
            var item = (await me.NextItemAsync(round.Id)).Item;
            for (var i = 0; i < count[k] && item is not null; i++)
            {
                var gold = (await store.GetRoundItemAsync(round.Id, item.ItemId))!;
                var verdict = right[k](i) == (gold.Label == Verdict.Good) ? "good" : "bad";
                var errorType = verdict == "bad" && i % 2 == 0 ? ErrorTypes.All[i % ErrorTypes.All.Count] : null;
                item = (await me.AnswerAsync(round.Id, new AnswerRequest(item.ItemId, verdict, errorType))).Next;
            }
        }

        var stored = (await store.GetRoundAsync(round.Id))!;
        var rescored = new Dictionary<string, AssessorScore>();
        foreach (var a in assessors)
        {
            var graded = new List<GradedAnswer>();
            foreach (var answer in (await store.ListAnswersAsync(round.Id, a.Id)).OrderBy(x => x.Position))
            {
                var gold = (await store.GetRoundItemAsync(round.Id, answer.ItemId))!;
                graded.Add(new GradedAnswer(gold.Label, gold.ErrorType, answer.Verdict, answer.ErrorType));
            }
            var p = (await store.GetParticipantAsync(round.Id, a.Id))!;
            rescored[a.Id] = QualificationScorer.Score(graded, p.ItemIds.Count, stored.Policy, p.EarlyDecision);
        }
        Assert.Contains(rescored.Values, s => s.Decision == QualificationDecision.Pass && s.DecidedEarly);
        Assert.Contains(rescored.Values, s => s.Decision == QualificationDecision.Fail && s.DecidedEarly);
        Assert.Contains(rescored.Values, s => s.Answered == 0);
        Assert.Contains(rescored.Values, s => s.PerErrorType.Count > 0);

        var results = await api.Admin.GetResultsAsync(round.Id);
        Assert.Equal(assessors.Select(a => a.Id).Order(StringComparer.Ordinal), results.Assessors.Select(a => a.AssessorId).Order(StringComparer.Ordinal));
        foreach (var r in results.Assessors)
        {
            var s = rescored[r.AssessorId];
            Assert.Equal((Decision(s), s.DecidedEarly), (r.Decision, r.DecidedEarly));
            Assert.Equal((s.Answered, s.Correct, s.ItemsSaved, s.Reason), (r.Answered, r.Correct, r.ItemsSaved, r.Reason));
            Assert.Equal([F(s.Accuracy), F(s.BalancedAccuracy), F(s.CohensKappa), F(s.BadRecall), F(s.WilsonLow), F(s.WilsonHigh), F(s.ErrorTypeNamed)],
                new[] { r.Accuracy, r.BalancedAccuracy, r.CohensKappa, r.BadRecall, r.WilsonLow, r.WilsonHigh, r.ErrorTypeNamedRight }.Select(F));
            Assert.Equal(s.PerErrorType.OrderBy(e => e.Key).Select(e => (e.Key, e.Value.Correct, e.Value.Total)),
                r.PerErrorType.OrderBy(e => e.Key).Select(e => (e.Key, e.Value.Correct, e.Value.Total)));
        }
        var all = rescored.Values.ToList();
        var summary = new ResultsSummary(all.Count, all.Count(s => s.Decision == QualificationDecision.Pass), all.Count(s => s.Decision == QualificationDecision.Fail),
            all.Count(s => s.Decision == QualificationDecision.Undecided), all.Count(s => s.DecidedEarly), all.Sum(s => s.ItemsSaved), all.Sum(s => s.Answered));
        Assert.Equal(summary, results.Summary);

        using var lead = new PageClient(api.Server.BaseAddress);
        await lead.SignInAsync(api.AdminKey);
        var page = await lead.GetHtmlAsync($"/lead/rounds/{round.Id}");
        Assert.Contains($"<td class=\"num\">{summary.Passed}</td><td class=\"num\">{summary.Failed}</td><td class=\"num\">{summary.Undecided}</td>" +
            $"<td class=\"num\">{summary.DecidedEarly}</td><td class=\"num\">{summary.ItemsSaved}</td><td class=\"num\">{summary.Answers}</td>", page);
        foreach (var a in assessors)
        {
            var s = rescored[a.Id];
            Assert.Contains($"<td>{WebUtility.HtmlEncode(a.Name)}</td><td>{Decision(s)}{(s.DecidedEarly ? " (early)" : "")}</td>" +
                $"<td class=\"num\">{s.Answered} / 24</td>" +
                (s.Answered == 0 ? "<td class=\"num\">–</td><td class=\"num\">–</td>" // nothing answered: no accuracy to show
                    : $"<td class=\"num\">{F(s.Accuracy)}</td><td class=\"num\">{F(s.WilsonLow)}–{F(s.WilsonHigh)}</td>") +
                $"<td class=\"num\">{F(s.BadRecall)}</td>", page);
        }
    }
}
