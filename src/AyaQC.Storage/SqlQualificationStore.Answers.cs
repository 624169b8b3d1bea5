using System.Collections.Concurrent;
using AyaQC.Core.Qualification;
using Dapper;
using static AyaQC.Storage.StoredValues;

namespace AyaQC.Storage;

// Answers: judged by Core's AnswerRules, written through the database's group commit.
public sealed partial class SqlQualificationStore
{
    public Task<AnswerOutcome> RecordAnswerAsync(AnswerSubmission answer, DateTimeOffset now, CancellationToken ct = default) =>
        RecordAnswerAsync(answer, now, known: null, ct);

    public async Task<AnswerOutcome> RecordAnswerAsync(AnswerSubmission answer, DateTimeOffset now, ParticipantState? known, CancellationToken ct = default)
    {
        // Gold labels and the policy never change, so they are looked up before the write.
        if (await RoundRulesAsync(answer.RoundId, ct) is not { } round) return AnswerOutcome.NotInRound(answer.RoundId);
        var gold = await GoldItemsByIdAsync(round.SetId, ct);
        if (!gold.TryGetValue(answer.ItemId, out var item))
            return AnswerOutcome.Reject(AnswerRejection.ItemNotInRound, $"item '{answer.ItemId}' is not among your items in round '{answer.RoundId}'");

        var state = known;
        // Closing is not cached: the write checks it, and a write that did not happen is judged again from a fresh read.
        var status = round.ExpiresAtMs is { } e && e <= Ms(now) ? RoundStatus.Expired : RoundStatus.Open;
        while (true)
        {
            if (state is null)
            {
                if (await GetProgressAsync(answer.RoundId, answer.AssessorId, now, ct) is not var (fresh, freshStatus))
                    return AnswerOutcome.NotInRound(answer.RoundId);
                (state, status) = (fresh, freshStatus);
            }
            var outcome = AnswerRules.Apply(state, status, answer, item.Label, round.Policy);
            if (!outcome.Accepted) return outcome;
            if (await db.CommitAnswerAsync(new AnswerWrite(answer, state, outcome.Progress!, answer.Verdict == item.Label, now), ct))
                return outcome;
            state = null; // another request moved this assessor, or the round closed: judge again from the database
        }
    }

    /// <summary>What never changes about a round once it is opened (closing it is checked in the database).</summary>
    sealed record RoundRules(string SetId, QualificationPolicy Policy, long? ExpiresAtMs);

    async Task<RoundRules?> RoundRulesAsync(string roundId, CancellationToken ct)
    {
        if (_rounds.TryGetValue(roundId, out var cached)) return cached;
        var round = await GetRoundAsync(roundId, ct);
        if (round is null) return null;
        return _rounds[roundId] = new(round.GoldSetId, round.Policy, round.ExpiresAt is { } e ? Ms(e) : null);
    }

    public Task<IReadOnlyList<StoredAnswer>> ListAnswersAsync(string roundId, CancellationToken ct = default) =>
        AnswersAsync("round_id = @roundId ORDER BY assessor_id, position", new { roundId }, ct);

    public Task<IReadOnlyList<StoredAnswer>> ListAnswersAsync(string roundId, string assessorId, CancellationToken ct = default) =>
        AnswersAsync("round_id = @roundId AND assessor_id = @assessorId ORDER BY position", new { roundId, assessorId }, ct);

    async Task<IReadOnlyList<StoredAnswer>> AnswersAsync(string where, object args, CancellationToken ct)
    {
        await using var c = await db.OpenReadAsync(ct);
        var rows = await c.QueryAsync<AnswerRow>(
            """
            SELECT assessor_id AS AssessorId, position AS Position, item_id AS ItemId, verdict AS Verdict,
                   error_type AS ErrorType, answered_at AS AnsweredAt
            FROM answers WHERE
            """ + " " + where, args);
        return rows.Select(r => new StoredAnswer(r.AssessorId, (int)r.Position, r.ItemId, ParseVerdict(r.Verdict), r.ErrorType, At(r.AnsweredAt))).ToList();
    }
}
