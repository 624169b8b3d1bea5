using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
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

    static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> PreparedOn = new();

    /// <summary>A command kept with its long-lived connection (the SQLite writer), so its statement is prepared once.</summary>
    public static DbCommand Prepared(DbConnection c, DbTransaction tx, string sql)
    {
        var cache = PreparedOn.GetOrCreateValue(c);
        if (!cache.TryGetValue(sql, out var cmd))
        {
            cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cache[sql] = cmd;
        }
        cmd.Transaction = tx;
        return cmd;
    }

    /// <summary>
    /// Each parameter's type is set explicitly so a null keeps its column's type: Npgsql reuses a prepared statement
    /// only while parameter types match, and a null error type otherwise re-prepares it (seen with perf).
    /// </summary>
    public static void Bind(DbParameterCollection ps, Func<DbParameter> create, AnswerWrite w)
    {
        Set(ps, create, "RoundId", w.Answer.RoundId, DbType.String);
        Set(ps, create, "AssessorId", w.Answer.AssessorId, DbType.String);
        Set(ps, create, "Position", w.Before.Answered, DbType.Int32);
        Set(ps, create, "ItemId", w.Answer.ItemId, DbType.String);
        Set(ps, create, "Verdict", w.Answer.Verdict.ToCode(), DbType.String);
        Set(ps, create, "ErrorType", w.Answer.ErrorType, DbType.String);
        Set(ps, create, "IsCorrect", w.IsCorrect ? 1 : 0, DbType.Int32);
        Set(ps, create, "At", Ms(w.At), DbType.Int64);
        Set(ps, create, "Answered", w.After.Answered, DbType.Int32);
        Set(ps, create, "Correct", w.After.Correct, DbType.Int32);
        Set(ps, create, "EarlyDecision", DecisionText(w.After.EarlyDecision), DbType.String);
    }

    static void Set(DbParameterCollection ps, Func<DbParameter> create, string name, object? value, DbType type)
    {
        name = "@" + name;
        var at = ps.IndexOf(name);
        DbParameter p;
        if (at >= 0) p = ps[at];
        else
        {
            p = create();
            p.ParameterName = name;
            p.DbType = type;
            ps.Add(p);
        }
        p.Value = value ?? DBNull.Value;
    }
}
