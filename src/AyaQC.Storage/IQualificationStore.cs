using AyaQC.Core.Qualification;

namespace AyaQC.Storage;

/// <summary>
/// Everything qualification rounds keep: gold sets, assessors, admin keys, rounds, answers.
/// SQLite and PostgreSQL implement it with the same SQL; callers never see which one is behind it.
/// </summary>
public interface IQualificationStore : IAsyncDisposable
{
    StorageProvider Provider { get; }

    /// <summary>How commits are made durable (journal, sync settings), as the benchmark reports it.</summary>
    string Durability { get; }

    /// <summary>Creates or upgrades the schema (forward only); must run before anything else.</summary>
    Task InitializeAsync(CancellationToken ct = default);

    Task<int> GetSchemaVersionAsync(CancellationToken ct = default);

    // admin keys (only hashes are stored)
    Task AddAdminKeyAsync(string name, string keyHash, CancellationToken ct = default);
    Task<bool> AdminKeyExistsAsync(string keyHash, CancellationToken ct = default);
    /// <summary>The name the key was made with (it names the lead in audit trails); null when no such key.</summary>
    Task<string?> AdminKeyNameAsync(string keyHash, CancellationToken ct = default);
    Task<int> CountAdminKeysAsync(CancellationToken ct = default);

    // gold sets
    /// <summary>Stores the whole set in one transaction, or returns the earlier set when the batch id was seen.</summary>
    Task<ImportOutcome<StoredGoldSet>> ImportGoldSetAsync(GoldSetImport import, CancellationToken ct = default);
    Task<IReadOnlyList<StoredGoldSet>> ListGoldSetsAsync(CancellationToken ct = default);
    Task<StoredGoldSet?> GetGoldSetAsync(string id, CancellationToken ct = default);
    Task<IReadOnlyList<GoldItem>> GetGoldItemsAsync(string setId, CancellationToken ct = default);
    /// <summary>An item of the gold set a round draws from; null for an unknown round or item.</summary>
    Task<GoldItem?> GetRoundItemAsync(string roundId, string itemId, CancellationToken ct = default);

    // assessors (only token hashes are stored)
    /// <summary>Stores all assessors in one transaction, or returns the earlier ones when the batch id was seen.</summary>
    Task<ImportOutcome<IReadOnlyList<StoredAssessor>>> RegisterAssessorsAsync(AssessorBatch batch, CancellationToken ct = default);
    Task<IReadOnlyList<StoredAssessor>> ListAssessorsAsync(CancellationToken ct = default);
    Task<StoredAssessor?> GetAssessorAsync(string id, CancellationToken ct = default);
    Task<StoredAssessor?> FindAssessorByTokenHashAsync(string tokenHash, CancellationToken ct = default);
    Task<bool> ReplaceAssessorTokenAsync(string id, string tokenHash, CancellationToken ct = default);
    /// <summary>Everything an assessor's owner (its grain) holds: profile, token hash, suspension, skill estimates.</summary>
    Task<StoredAssessorRecord?> GetAssessorRecordAsync(string id, CancellationToken ct = default);
    /// <summary>Suspends (a time) or reinstates (null) an assessor; false for an unknown one.</summary>
    Task<bool> SetAssessorSuspendedAsync(string id, DateTimeOffset? since, CancellationToken ct = default);
    Task SetAssessorSkillAsync(string id, string skill, double estimate, DateTimeOffset at, CancellationToken ct = default);

    // rounds
    Task<StoredRound> CreateRoundAsync(NewRound round, CancellationToken ct = default);
    Task<StoredRound?> GetRoundAsync(string id, CancellationToken ct = default);
    Task<IReadOnlyList<StoredRound>> ListRoundsAsync(CancellationToken ct = default);
    /// <summary>Closes an open round; false when it was already closed or does not exist.</summary>
    Task<bool> CloseRoundAsync(string id, DateTimeOffset now, CancellationToken ct = default);
    Task<ParticipantState?> GetParticipantAsync(string roundId, string assessorId, CancellationToken ct = default);
    /// <summary>The assessor's progress and the round's status at <paramref name="now"/>, in one read.</summary>
    Task<(ParticipantState State, RoundStatus Status)?> GetProgressAsync(string roundId, string assessorId, DateTimeOffset now, CancellationToken ct = default);
    Task<IReadOnlyList<ParticipantState>> ListParticipantsAsync(string roundId, CancellationToken ct = default);
    Task<IReadOnlyList<RoundMembership>> ListRoundsOfAssessorAsync(string assessorId, CancellationToken ct = default);

    // answers
    /// <summary>Checks the answer against the round's rules and stores it atomically with the assessor's progress.</summary>
    Task<AnswerOutcome> RecordAnswerAsync(AnswerSubmission answer, DateTimeOffset now, CancellationToken ct = default);
    /// <summary>As above, judged first against <paramref name="known"/> (the owner's current state, e.g. a grain's),
    /// and against a fresh read only when the write finds the participant moved or the round closed.</summary>
    Task<AnswerOutcome> RecordAnswerAsync(AnswerSubmission answer, DateTimeOffset now, ParticipantState? known, CancellationToken ct = default);
    Task<IReadOnlyList<StoredAnswer>> ListAnswersAsync(string roundId, CancellationToken ct = default);
    /// <summary>One assessor's answers in a round, in the order given.</summary>
    Task<IReadOnlyList<StoredAnswer>> ListAnswersAsync(string roundId, string assessorId, CancellationToken ct = default);
}

public enum StorageProvider { Sqlite, Postgres }

public sealed record ImportOutcome<T>(T Value, bool Replayed);

public sealed record GoldSetImport(string Name, string? BatchId, IReadOnlyList<GoldItem> Items);

public sealed record StoredGoldSet(string Id, string Name, int ItemCount, int GoodCount, int BadCount, DateTimeOffset CreatedAt);

public sealed record NewAssessor(string Id, string Name, string? Languages, string TokenHash);

public sealed record AssessorBatch(string? BatchId, IReadOnlyList<NewAssessor> Assessors);

public sealed record StoredAssessor(string Id, string Name, string? Languages, DateTimeOffset CreatedAt);

public sealed record StoredAssessorRecord(
    StoredAssessor Assessor, string TokenHash, DateTimeOffset? SuspendedAt, IReadOnlyDictionary<string, double> Skills);

public sealed record RoundAssignment(string AssessorId, IReadOnlyList<string> ItemIds);

public sealed record NewRound(
    string Id, string Name, string GoldSetId, int ItemsPerAssessor, QualificationPolicy Policy,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, IReadOnlyList<RoundAssignment> Assignments);

public sealed record StoredRound(
    string Id, string Name, string GoldSetId, int ItemsPerAssessor, QualificationPolicy Policy,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? ClosedAt, int Participants)
{
    public RoundStatus StatusAt(DateTimeOffset now) =>
        ClosedAt is not null ? RoundStatus.Closed
        : ExpiresAt is { } e && e <= now ? RoundStatus.Expired
        : RoundStatus.Open;
}

public sealed record RoundMembership(StoredRound Round, ParticipantState Progress);

public sealed record StoredAnswer(
    string AssessorId, int Position, string ItemId, Verdict Verdict, string? ErrorType, DateTimeOffset AnsweredAt);
