namespace AyaQC.Storage.Assessment;

public sealed record NewProject(string Name, string? DatasetId, string? GoldSetId, string TaskKind, string SettingsJson,
    string IdKey, int Seed, DateTimeOffset? Deadline, IReadOnlyList<string> Pool);

public sealed record StoredProject(string Id, string Name, string? DatasetId, string? GoldSetId, string TaskKind, string SettingsJson,
    string IdKey, int Seed, string State, DateTimeOffset? Deadline, DateTimeOffset CreatedAt);

/// <summary>A vote as stored: <see cref="ItemId"/> is the opaque item id, or an imported task name.</summary>
public sealed record StoredVote(long Seq, string AssessorId, string ItemId, string Label, string? ErrorType, double Seconds,
    DateTimeOffset AnsweredAt, bool Imported);

/// <summary>A suspension (with its evidence) or a reinstatement, at the point of the vote sequence it happened.</summary>
public sealed record StoredEvent(int EventNo, string AssessorId, string Kind, long AfterVotes, string? Signal, int? Successes,
    int? Count, double? WilsonUpper, double? Threshold, string Reason, DateTimeOffset At);

public sealed record StoredPostEdit(string Id, string ProjectId, string RowId, string AssessorId, string Text, double Hter,
    string Signature, string State, string? ReviewerId, DateTimeOffset? ReviewedAt, DateTimeOffset CreatedAt);

/// <summary>The texts of a dataset row a project serves.</summary>
public sealed record ProjectRow(string RowId, string SourceLang, string TargetLang, string Source, string Translation, string? PostEdit);

public sealed record StoredReviewer(string Id, string Name, string? AssessorId);

/// <summary>What one write appends: votes, events and post-edits, all in one transaction.</summary>
public sealed record ProjectAppend(string ProjectId, IReadOnlyList<StoredVote> Votes, IReadOnlyList<StoredEvent> Events, IReadOnlyList<StoredPostEdit> PostEdits)
{
    public static ProjectAppend Of(string projectId, StoredVote? vote = null, IReadOnlyList<StoredEvent>? events = null, StoredPostEdit? postEdit = null) =>
        new(projectId, vote is null ? [] : [vote], events ?? [], postEdit is null ? [] : [postEdit]);
}

/// <summary>A dataset row sent back to the crowd: it needs <see cref="More"/> valid votes beyond those it held after <see cref="AfterVotes"/> votes.</summary>
public sealed record StoredRowRequest(int RequestNo, string RowId, int More, long AfterVotes, DateTimeOffset RequestedAt);
