namespace AyaQC.Core.Crowd;

/// <summary>
/// Worker Agreement with Aggregate (Wawa): majority vote, then each worker's skill is their agreement with it,
/// then a majority vote weighted by those skills. As in crowd-kit's Wawa; ties follow <see cref="Ties"/>
/// in both rounds.
/// </summary>
public sealed class Wawa : ICrowdAggregator
{
    public string Name => "wawa";
    public TieRule Ties { get; init; } = TieRule.TaskHash;

    public CrowdLabels Aggregate(CrowdAnswers answers, int[]? knownLabels = null)
    {
        Aggregation.CheckKnown(answers, knownLabels);
        var k = answers.LabelCount;
        var picker = new LabelPicker(answers, Ties);
        var firstRound = MajorityVote.VoteShares(answers, null);
        Aggregation.ClampKnown(firstRound, knownLabels, k);
        var majority = picker.ArgMaxRows(firstRound, answers.TaskCount, k);
        var skill = MajorityVote.AgreementWith(answers, majority);

        var posteriors = MajorityVote.VoteShares(answers, skill);
        Aggregation.ClampKnown(posteriors, knownLabels, k);
        var labels = picker.ArgMaxRows(posteriors, answers.TaskCount, k);
        return new CrowdLabels(answers, Name, Aggregation.Signature(Name, Ties, Aggregation.CountKnown(knownLabels), ""),
            labels, posteriors, new WorkerSkills("agreement with majority vote", skill, null, k),
            Aggregation.MeanRow(posteriors, answers.TaskCount, k), 1);
    }
}
