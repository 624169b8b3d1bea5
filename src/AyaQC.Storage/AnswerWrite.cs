using System.Data;
using AyaQC.Core.Qualification;
using static AyaQC.Storage.StoredValues;

namespace AyaQC.Storage;

/// <summary>An accepted answer and the progress it moves the participant to, from <paramref name="Before"/>.</summary>
public sealed record AnswerWrite(AnswerSubmission Answer, ParticipantState Before, ParticipantState After, bool IsCorrect, DateTimeOffset At);

/// <summary>
/// The conditional answer write: it moves the participant only if they are still at <c>Before.Answered</c>, not
/// decided, and the round is not closed; the answer row goes in only when the move did. So a stale writer (another
/// node, a lost race) changes nothing and is told so.
/// </summary>
internal static class AnswerStatements
{
    public const string Move = """
        UPDATE round_participants
        SET answered = @Answered, correct = @Correct, early_decision = @EarlyDecision, updated_at = @At
        WHERE round_id = @RoundId AND assessor_id = @AssessorId AND answered = @Position AND early_decision IS NULL
          AND EXISTS (SELECT 1 FROM rounds r WHERE r.id = @RoundId AND r.closed_at IS NULL)
        """;

    public const string Insert = """
        INSERT INTO answers (round_id, assessor_id, position, item_id, verdict, error_type, correct, answered_at)
        VALUES (@RoundId, @AssessorId, @Position, @ItemId, @Verdict, @ErrorType, @IsCorrect, @At)
        """;

    /// <summary>Both in one statement (PostgreSQL): the INSERT reads the UPDATE's result, so it is all or nothing.</summary>
    public const string MoveThenInsert = $"""
        WITH moved AS ({Move}
            RETURNING 1)
        INSERT INTO answers (round_id, assessor_id, position, item_id, verdict, error_type, correct, answered_at)
        SELECT @RoundId, @AssessorId, @Position, @ItemId, @Verdict, @ErrorType, @IsCorrect, @At FROM moved
        """;

    /// <summary>The arguments of <see cref="Move"/>, <see cref="Insert"/> and <see cref="MoveThenInsert"/> for one answer.</summary>
    public static IReadOnlyList<SqlArg> Args(AnswerWrite w) =>
    [
        new("RoundId", w.Answer.RoundId, DbType.String),
        new("AssessorId", w.Answer.AssessorId, DbType.String),
        new("Position", w.Before.Answered, DbType.Int32),
        new("ItemId", w.Answer.ItemId, DbType.String),
        new("Verdict", w.Answer.Verdict.ToCode(), DbType.String),
        new("ErrorType", w.Answer.ErrorType, DbType.String),
        new("IsCorrect", w.IsCorrect ? 1 : 0, DbType.Int32),
        new("At", Ms(w.At), DbType.Int64),
        new("Answered", w.After.Answered, DbType.Int32),
        new("Correct", w.After.Correct, DbType.Int32),
        new("EarlyDecision", DecisionText(w.After.EarlyDecision), DbType.String),
    ];
}
