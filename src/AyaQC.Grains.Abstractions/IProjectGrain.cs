namespace AyaQC.Grains;

/// <summary>
/// One assessment project (key: the project id), the single live owner of its board in the whole cluster: it chooses
/// the next item for an assessor, takes answers (each stored, group-committed, before it is acknowledged), keeps
/// suspensions and quotas, and computes the labels. Every node serves the project through this one activation.
/// </summary>
public interface IProjectGrain : IGrainWithStringKey
{
    /// <summary>Null when the project does not exist.</summary>
    Task<ProjectSummary?> GetAsync(DateTimeOffset now);

    /// <param name="state">open, paused or closed.</param>
    Task<ProjectStateChange> SetStateAsync(string state, DateTimeOffset now);

    Task<ProjectServed> NextAsync(string assessorId, DateTimeOffset now);

    /// <param name="verdict">"good" or "bad" (checked by the caller).</param>
    Task<ProjectServed> AnswerAsync(string assessorId, string itemId, string verdict, string? errorType, string? postEdit, DateTimeOffset now);

    /// <summary>Null when the assessor is not suspended in the project.</summary>
    Task<ProjectAssessorView?> ReinstateAsync(string assessorId, DateTimeOffset now);

    Task<List<ProjectAssessorView>> AssessorsAsync();

    /// <summary>All answers stored, or none (then the problems say why, by line and field). A large file takes longer
    /// than the cluster's short call timeout (5 s, so that calls to a dead node fail fast): this call may take minutes.</summary>
    [ResponseTimeout("00:05:00")]
    Task<ProjectImportResult> ImportAsync(List<ImportedAnswer> answers, DateTimeOffset now);

    /// <summary>The rows' labels by the method (cached until votes or suspensions change), from row <paramref name="start"/>.</summary>
    [ResponseTimeout("00:01:00")]
    Task<ProjectLabelsView> LabelsAsync(string method, int start, int limit);

    [ResponseTimeout("00:01:00")]
    Task<List<AlphaView>> AgreementAsync(int points);

    /// <summary>Every counted vote on each dataset row with the voter's Dawid–Skene accuracy, and the accepted post-edits.</summary>
    [ResponseTimeout("00:01:00")]
    Task<ProjectCrowdView> CrowdAsync();

    Task<List<RowTextView>> RowTextsAsync(List<string> rowIds);

    Task AcceptReferenceAsync(string rowId, string text);

    /// <summary>Asks for <paramref name="more"/> further valid votes on each named dataset row (rows sent back from review).</summary>
    Task<ProjectMoreVotesResult> RequestMoreVotesAsync(List<string> rowIds, int more, DateTimeOffset now);

    /// <summary>Drops the live board and rebuilds it from the database.</summary>
    Task ReloadAsync();
}

[GenerateSerializer]
public enum ProjectRefusal { NotFound, NotInPool, NotOpen, NotServed, AlreadyAnswered, Suspended, NoBoard, PostEditNotAsked }

/// <summary>Only the texts of an item: rows and control items look the same.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectItemView(string ItemId, int Position, string SourceLang, string TargetLang, string Source, string Translation);

/// <summary>Refusal null: Status is item / no_work / quota_reached, and Answered counts the assessor's answers.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectServed(ProjectRefusal? Refusal, string? Detail, string Status, ProjectItemView? Item, int Answered, bool PostEdit);

[GenerateSerializer, Immutable]
public sealed record ProjectSummary(string Id, string Name, string? DatasetId, string? GoldSetId, string TaskKind, string State, int Rows,
    int Controls, List<string> Pool, string Method, string Signature, DateTimeOffset? Deadline, DateTimeOffset CreatedAt, long Votes,
    int FinishedRows, int Suspended, bool PostEdit);

/// <summary>Conflict null: changed, and Project is the new state.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectStateChange(string? Conflict, string? Code, ProjectSummary? Project);

[GenerateSerializer, Immutable]
public sealed record ProjectAssessorView(string Id, int Answers, int Controls, int ControlsCorrect, double Skill, int FastAnswers,
    int AgreementChecks, int Agreements, bool Suspended, string? Reason);

[GenerateSerializer, Immutable]
public sealed record ImportedAnswer(int Line, string Task, string Worker, string Label);

[GenerateSerializer, Immutable]
public sealed record ImportProblem(int Line, string Field, string Message);

[GenerateSerializer, Immutable]
public sealed record ProjectImportResult(int Votes, int Tasks, int Workers, List<ImportProblem> Problems);

[GenerateSerializer, Immutable]
public sealed record RowLabelView(string RowId, string Label, double Posterior, int Votes, double Entropy, string? ErrorType, string? Reference);

/// <summary>A page of row labels (control items left out); AsOfVotes: the votes the computation saw.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectLabelsView(string Method, string Signature, double Alpha, int TotalRows, List<RowLabelView> Rows, long AsOfVotes);

[GenerateSerializer, Immutable]
public sealed record AlphaView(int Votes, double Alpha);

[GenerateSerializer, Immutable]
public sealed record CrowdVoteView(bool Good, double Skill, bool Verified);

/// <summary>The crowd's votes on dataset rows (by row id), accepted post-edits, and the control items the project's
/// assessors answered with their gold label — training-only labels of the agreement model.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectCrowdView(Dictionary<string, List<CrowdVoteView>> Votes, Dictionary<string, string> References, List<ControlCrowdView> Controls);

/// <summary>A control item (gold-set item id) with its gold label and the counted votes it got in the project.</summary>
[GenerateSerializer, Immutable]
public sealed record ControlCrowdView(string GoldItemId, bool Good, List<CrowdVoteView> Votes);

[GenerateSerializer, Immutable]
public sealed record RowTextView(string RowId, string Source, string Translation);

/// <summary>Rows whose need was raised, and named rows the project does not hold.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectMoreVotesResult(int Raised, List<string> Unknown);
