using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Storage;

namespace AyaQC.Server.Qualification;

/// <summary>Scores every participant of a round with AyaQC.Core and assembles the results response.</summary>
public static class RoundResults
{
    public static async Task<RoundResultsResponse> BuildAsync(
        IQualificationStore store, StoredRound round, int? topK, DateTimeOffset now, CancellationToken ct)
    {
        var gold = (await store.GetGoldItemsAsync(round.GoldSetId, ct)).ToDictionary(i => i.Id);
        var names = (await store.ListAssessorsAsync(ct)).ToDictionary(a => a.Id, a => a.Name);
        var answers = (await store.ListAnswersAsync(round.Id, ct)).ToLookup(a => a.AssessorId);
        var participants = await store.ListParticipantsAsync(round.Id, ct);

        var scored = participants.Select(p =>
        {
            var graded = answers[p.AssessorId].OrderBy(a => a.Position).Select(a =>
            {
                var g = gold[a.ItemId];
                return new GradedAnswer(g.Label, g.ErrorType, a.Verdict, a.ErrorType);
            }).ToList();
            // The early decision is the one the answer path stored, not judged again here.
            return (p, Score: QualificationScorer.Score(graded, p.ItemIds.Count, round.Policy, p.EarlyDecision));
        }).ToList();

        var k = topK ?? round.Policy.TopK;
        var selected = k is { } kk
            ? TopKSelection.Select(scored.Select(s => (s.p.AssessorId, s.Score)), kk)
            : null;
        var selectedSet = selected?.ToHashSet();

        var results = scored.Select(s => new AssessorResult(
            s.p.AssessorId, names.GetValueOrDefault(s.p.AssessorId, "?"), DecisionText(s.Score.Decision), s.Score.DecidedEarly,
            s.Score.Answered, s.p.ItemIds.Count, s.Score.ItemsSaved, s.Score.Correct,
            Finite(s.Score.Accuracy), Finite(s.Score.BalancedAccuracy), Finite(s.Score.CohensKappa), Finite(s.Score.BadRecall),
            Finite(s.Score.WilsonLow), Finite(s.Score.WilsonHigh),
            s.Score.PerErrorType.ToDictionary(e => e.Key, e => new ErrorTypeCount(e.Value.Correct, e.Value.Total)), Finite(s.Score.ErrorTypeNamed),
            s.Score.Reason, selectedSet is null ? null : selectedSet.Contains(s.p.AssessorId))).ToList();

        var summary = new ResultsSummary(
            results.Count,
            results.Count(r => r.Decision == "pass"),
            results.Count(r => r.Decision == "fail"),
            results.Count(r => r.Decision == "undecided"),
            results.Count(r => r.DecidedEarly),
            results.Sum(r => r.ItemsSaved),
            results.Sum(r => r.Answered));
        var signature = round.Policy.Signature + (topK is { } t && t != round.Policy.TopK ? $"|topk-asked:{t}" : "");
        return new RoundResultsResponse(RoundContracts.ToResponse(round, now), signature, summary, results, selected);
    }

    public static string DecisionText(QualificationDecision d) => d switch
    {
        QualificationDecision.Pass => "pass",
        QualificationDecision.Fail => "fail",
        _ => "undecided",
    };

    static double? Finite(double? x) => x is { } v && double.IsFinite(v) ? v : null;
}
