using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using AyaQC.Core.Qualification;
using Dapper;
using static AyaQC.Storage.StoredValues;

namespace AyaQC.Storage;

// Rounds and their participants (each assessor's drawn items and progress).
public sealed partial class SqlQualificationStore
{
    const string RoundColumns = """
        SELECT r.id AS Id, r.name AS Name, r.gold_set_id AS GoldSetId, r.items_per_assessor AS ItemsPerAssessor,
               r.policy_json AS PolicyJson, r.created_at AS CreatedAt, r.expires_at AS ExpiresAt, r.closed_at AS ClosedAt,
               (SELECT COUNT(*) FROM round_participants p WHERE p.round_id = r.id) AS Participants
        FROM rounds r
        """;

    public async Task<StoredRound> CreateRoundAsync(NewRound round, CancellationToken ct = default)
    {
        await db.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(
                """
                INSERT INTO rounds (id, name, gold_set_id, items_per_assessor, policy_json, created_at, expires_at, closed_at)
                VALUES (@Id, @Name, @GoldSetId, @ItemsPerAssessor, @PolicyJson, @CreatedAt, @ExpiresAt, NULL)
                """,
                new
                {
                    round.Id, round.Name, round.GoldSetId, round.ItemsPerAssessor, PolicyJson = JsonSerializer.Serialize(round.Policy),
                    CreatedAt = Ms(round.CreatedAt), ExpiresAt = round.ExpiresAt is { } e ? Ms(e) : (long?)null,
                }, tx);
            await c.ExecuteAsync(
                """
                INSERT INTO round_participants (round_id, assessor_id, item_ids, answered, correct, early_decision, updated_at)
                VALUES (@RoundId, @AssessorId, @ItemIds, 0, 0, NULL, @At)
                """,
                round.Assignments.Select(a => new
                {
                    RoundId = round.Id, a.AssessorId, ItemIds = string.Join(IdSeparator, a.ItemIds), At = Ms(round.CreatedAt),
                }), tx);
            return 0;
        }, ct);
        return await GetRoundAsync(round.Id, ct) ?? throw new InvalidOperationException("round vanished after creation");
    }

    public async Task<StoredRound?> GetRoundAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<RoundRow>(RoundColumns + " WHERE r.id = @id", new { id }))?.ToRecord();
    }

    public async Task<IReadOnlyList<StoredRound>> ListRoundsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<RoundRow>(RoundColumns + " ORDER BY r.created_at, r.id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<bool> CloseRoundAsync(string id, DateTimeOffset now, CancellationToken ct = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(
            "UPDATE rounds SET closed_at = @at WHERE id = @id AND closed_at IS NULL", new { id, at = Ms(now) }, tx), ct) == 1;

    const string ParticipantColumns = """
        SELECT p.round_id AS RoundId, p.assessor_id AS AssessorId, p.item_ids AS ItemIds, p.answered AS Answered,
               p.correct AS Correct, p.early_decision AS EarlyDecision
        FROM round_participants p
        """;

    public async Task<ParticipantState?> GetParticipantAsync(string roundId, string assessorId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<ParticipantRow>(
            ParticipantColumns + " WHERE p.round_id = @roundId AND p.assessor_id = @assessorId", new { roundId, assessorId }))?.ToRecord();
    }

    public async Task<(ParticipantState State, RoundStatus Status)?> GetProgressAsync(
        string roundId, string assessorId, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<ParticipantRow>(ProgressQuery, new { RoundId = roundId, AssessorId = assessorId });
        if (row is null) return null;
        var state = row.ToRecord();
        return (state, row.StatusAt(now));
    }

    const string ProgressQuery = """
        SELECT p.round_id AS RoundId, p.assessor_id AS AssessorId, p.item_ids AS ItemIds, p.answered AS Answered,
               p.correct AS Correct, p.early_decision AS EarlyDecision, r.closed_at AS ClosedAt, r.expires_at AS ExpiresAt
        FROM round_participants p JOIN rounds r ON r.id = p.round_id
        WHERE p.round_id = @RoundId AND p.assessor_id = @AssessorId
        """;

    public async Task<IReadOnlyList<ParticipantState>> ListParticipantsAsync(string roundId, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<ParticipantRow>(ParticipantColumns + " WHERE p.round_id = @roundId ORDER BY p.assessor_id", new { roundId }))
            .Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<RoundMembership>> ListRoundsOfAssessorAsync(string assessorId, CancellationToken ct = default)
    {
        List<ParticipantState> mine;
        await using (var c = await db.OpenReadAsync(ct))
            mine = (await c.QueryAsync<ParticipantRow>(ParticipantColumns + " WHERE p.assessor_id = @assessorId ORDER BY p.round_id", new { assessorId }))
                .Select(r => r.ToRecord()).ToList();
        var result = new List<RoundMembership>();
        foreach (var p in mine)
            if (await GetRoundAsync(p.RoundId, ct) is { } round) result.Add(new(round, p));
        return result;
    }
}
