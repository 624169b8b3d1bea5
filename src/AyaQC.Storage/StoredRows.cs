using System.Text.Json;
using AyaQC.Core.Qualification;
using static AyaQC.Storage.StoredValues;

namespace AyaQC.Storage;

// Row classes: Dapper fills properties, converting SQLite's Int64 and PostgreSQL's Int32 alike.
internal sealed class GoldSetRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public long CreatedAt { get; set; }
    public long ItemCount { get; set; }
    public long GoodCount { get; set; }
    public StoredGoldSet ToRecord() => new(Id, Name, (int)ItemCount, (int)GoodCount, (int)(ItemCount - GoodCount), At(CreatedAt));
}

internal sealed class GoldItemRow
{
    public string ItemId { get; set; } = "";
    public string SourceLang { get; set; } = "";
    public string TargetLang { get; set; } = "";
    public string Source { get; set; } = "";
    public string Translation { get; set; } = "";
    public string Label { get; set; } = "";
    public string? ErrorType { get; set; }
    public string? Explanation { get; set; }
    public GoldItem ToRecord() => new(ItemId, SourceLang, TargetLang, Source, Translation, ParseVerdict(Label), ErrorType, Explanation);
}

internal sealed class AssessorRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Languages { get; set; }
    public long CreatedAt { get; set; }
    public string? TokenHash { get; set; }
    public long? SuspendedAt { get; set; }
    public StoredAssessor ToRecord() => new(Id, Name, Languages, At(CreatedAt));
}

internal sealed class RoundRow
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string GoldSetId { get; set; } = "";
    public long ItemsPerAssessor { get; set; }
    public string PolicyJson { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? ExpiresAt { get; set; }
    public long? ClosedAt { get; set; }
    public long Participants { get; set; }
    public StoredRound ToRecord() => new(Id, Name, GoldSetId, (int)ItemsPerAssessor,
        JsonSerializer.Deserialize<QualificationPolicy>(PolicyJson)!, At(CreatedAt),
        ExpiresAt is { } e ? At(e) : null, ClosedAt is { } c ? At(c) : null, (int)Participants);
}

internal sealed class ParticipantRow
{
    public string RoundId { get; set; } = "";
    public string AssessorId { get; set; } = "";
    public string ItemIds { get; set; } = "";
    public long Answered { get; set; }
    public long Correct { get; set; }
    public string? EarlyDecision { get; set; }
    public long? ClosedAt { get; set; }
    public long? ExpiresAt { get; set; }
    public RoundStatus StatusAt(DateTimeOffset now) =>
        ClosedAt is not null ? RoundStatus.Closed : ExpiresAt is { } e && e <= Ms(now) ? RoundStatus.Expired : RoundStatus.Open;
    public ParticipantState ToRecord() => new(RoundId, AssessorId,
        ItemIds.Length == 0 ? [] : ItemIds.Split(IdSeparator), (int)Answered, (int)Correct, ParseDecision(EarlyDecision));
}

internal sealed class AnswerRow
{
    public string AssessorId { get; set; } = "";
    public long Position { get; set; }
    public string ItemId { get; set; } = "";
    public string Verdict { get; set; } = "";
    public string? ErrorType { get; set; }
    public long AnsweredAt { get; set; }
}
