namespace AyaQC.Core.Qualification;

public enum RoundStatus { Open, Closed, Expired }

/// <summary>One assessor's place in a round: the drawn items in serving order and how far they got.</summary>
/// <param name="EarlyDecision">The decision Wald's test took on the answer path (null: not decided early); results read it.</param>
public sealed record ParticipantState(
    string RoundId, string AssessorId, IReadOnlyList<string> ItemIds, int Answered, int Correct, QualificationDecision? EarlyDecision)
{
    /// <summary>No more items: all answered, or the sequential test already decided.</summary>
    public bool Complete => EarlyDecision is not null || Answered >= ItemIds.Count;
    public string? CurrentItemId => Complete ? null : ItemIds[Answered];
}

public sealed record AnswerSubmission(string RoundId, string AssessorId, string ItemId, Verdict Verdict, string? ErrorType);

public enum AnswerRejection
{
    NotInRound,       // no such round, or the assessor is not part of it
    RoundClosed,
    RoundExpired,
    AlreadyAnswered,
    NotCurrentItem,   // part of the round but not the item being served now
    ItemNotInRound,
    AssessmentComplete,
}

public sealed record AnswerOutcome(ParticipantState? Progress, AnswerRejection? Rejection, string? Detail)
{
    public bool Accepted => Rejection is null;
    public static AnswerOutcome Accept(ParticipantState progress) => new(progress, null, null);
    public static AnswerOutcome Reject(AnswerRejection why, string detail) => new(null, why, detail);

    public static AnswerOutcome NotInRound(string roundId) =>
        Reject(AnswerRejection.NotInRound, $"you are not a participant of round '{roundId}' (or it does not exist)");
}

/// <summary>
/// Decides whether an answer may be stored and what the assessor's progress becomes, including Wald's early
/// decision. The one place these rules live: the answer path applies them and the results read what they decided.
/// </summary>
public static class AnswerRules
{
    public static AnswerOutcome Apply(
        ParticipantState state, RoundStatus status, AnswerSubmission answer, Verdict goldLabel, QualificationPolicy policy)
    {
        if (status == RoundStatus.Closed)
            return AnswerOutcome.Reject(AnswerRejection.RoundClosed, $"round '{answer.RoundId}' is closed; answers are no longer accepted");
        if (status == RoundStatus.Expired)
            return AnswerOutcome.Reject(AnswerRejection.RoundExpired, $"round '{answer.RoundId}' has expired; answers are no longer accepted");

        var position = IndexOf(state.ItemIds, answer.ItemId);
        if (position < 0)
            return AnswerOutcome.Reject(AnswerRejection.ItemNotInRound, $"item '{answer.ItemId}' is not among your items in round '{answer.RoundId}'");
        if (position < state.Answered)
            return AnswerOutcome.Reject(AnswerRejection.AlreadyAnswered, $"item '{answer.ItemId}' was already answered; answers cannot be changed");
        if (state.Complete)
            return AnswerOutcome.Reject(AnswerRejection.AssessmentComplete, "your assessment in this round is complete; no more answers are taken");
        if (position != state.Answered)
            return AnswerOutcome.Reject(AnswerRejection.NotCurrentItem, $"item '{answer.ItemId}' has not been served yet; answer the current item '{state.CurrentItemId}' first");

        var answered = state.Answered + 1;
        var correct = state.Correct + (answer.Verdict == goldLabel ? 1 : 0);
        return AnswerOutcome.Accept(state with { Answered = answered, Correct = correct, EarlyDecision = EarlyDecision(answered, correct, state.ItemIds.Count, policy) });
    }

    /// <summary>Wald's sequential test stops an assessor before the planned items once the evidence is clear.</summary>
    public static QualificationDecision? EarlyDecision(int answered, int correct, int planned, QualificationPolicy policy)
    {
        if (answered >= planned || answered < policy.MinItemsBeforeEarlyStop) return null;
        var sprt = new SequentialProbabilityRatioTest(policy.SprtP0, policy.SprtP1, policy.SprtAlpha, policy.SprtBeta);
        return sprt.Evaluate(correct, answered) switch
        {
            SprtOutcome.AcceptH1 => QualificationDecision.Pass,
            SprtOutcome.AcceptH0 => QualificationDecision.Fail,
            _ => null,
        };
    }

    static int IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (var i = 0; i < ids.Count; i++)
            if (ids[i] == id) return i;
        return -1;
    }
}
