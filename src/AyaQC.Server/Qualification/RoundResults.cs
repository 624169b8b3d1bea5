using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Grains;
using AyaQC.Storage;

namespace AyaQC.Server.Qualification;

/// <summary>
/// The results response, read from the round's grain: each participant's decision as its answer path made and
/// reported it (nothing is scored again here), plus the round's header and the assessors' names from the store.
/// </summary>
public static class RoundResults
{
    public static async Task<RoundResultsResponse> BuildAsync(
        IGrainFactory grains, IQualificationStore store, StoredRound round, int? topK, DateTimeOffset now, CancellationToken ct)
    {
        var decisions = await grains.GetGrain<IRoundGrain>(round.Id).GetResultsAsync(topK)
            ?? throw new InvalidOperationException($"round '{round.Id}' is in the store but its grain does not know it");
        var names = (await store.ListAssessorsAsync(ct)).ToDictionary(a => a.Id, a => a.Name);
        var selected = decisions.TopK?.ToHashSet();

        var results = decisions.Assessors.Select(d => (d, s: d.Score)).Select(x => new AssessorResult(
            x.d.AssessorId, names.GetValueOrDefault(x.d.AssessorId, "?"), DecisionText(x.s.Decision), x.s.DecidedEarly,
            x.s.Answered, x.d.Planned, x.s.ItemsSaved, x.s.Correct,
            Finite(x.s.Accuracy), Finite(x.s.BalancedAccuracy), Finite(x.s.CohensKappa), Finite(x.s.BadRecall),
            Finite(x.s.WilsonLow), Finite(x.s.WilsonHigh),
            x.s.PerErrorType.ToDictionary(e => e.Key, e => new ErrorTypeCount(e.Value.Correct, e.Value.Total)), Finite(x.s.ErrorTypeNamed),
            x.s.Reason, selected is null ? null : selected.Contains(x.d.AssessorId))).ToList();

        var summary = new ResultsSummary(
            results.Count,
            results.Count(r => r.Decision == "pass"),
            results.Count(r => r.Decision == "fail"),
            results.Count(r => r.Decision == "undecided"),
            results.Count(r => r.DecidedEarly),
            results.Sum(r => r.ItemsSaved),
            results.Sum(r => r.Answered));
        var signature = round.Policy.Signature + (topK is { } t && t != round.Policy.TopK ? $"|topk-asked:{t}" : "");
        return new RoundResultsResponse(RoundContracts.ToResponse(round, now), signature, summary, results, decisions.TopK);
    }

    public static string DecisionText(QualificationDecision d) => d switch
    {
        QualificationDecision.Pass => "pass",
        QualificationDecision.Fail => "fail",
        _ => "undecided",
    };

    static double? Finite(double? x) => x is { } v && double.IsFinite(v) ? v : null;
}
