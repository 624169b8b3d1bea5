using System.Text.Json;
using System.Text.Json.Serialization;

namespace AyaQC.Contracts;

// Shapes of the /api/v1 assessment projects API (issue 11). JSON is camelCase.

/// <summary>
/// Who works on a project: the passers of a qualification round (optionally only its top-k), and/or a list of
/// assessor ids.
/// </summary>
public sealed record PoolRequest(string? RoundId = null, int? TopK = null, IReadOnlyList<string>? Assessors = null);

/// <summary>Fixed overlap (<c>Fixed</c> votes per row) or dynamic (min/max votes, target posterior of the best label).</summary>
public sealed record OverlapRequest(int? Fixed = null, int? MinVotes = null, int? MaxVotes = null, double? TargetPosterior = null);

/// <summary>One watch signal: after MinCount observations, suspend when the Wilson upper bound of its success share is below UpperBoundBelow.</summary>
public sealed record SignalRequest(bool Enabled, int MinCount, double UpperBoundBelow);

public sealed record SuspensionRequest(SignalRequest? Controls = null, SignalRequest? Speed = null, SignalRequest? Agreement = null,
    double? MinSecondsPerItem = null);

/// <summary>
/// A new project. Task: "judge" (good/bad with an error type), "judge+post-edit" (also a corrected translation), or
/// "import" (no dataset: only answers imported from another platform). Control items come from GoldSetId at
/// ControlRate. Quota: items per assessor (0 = none). Method: the aggregation method of the labels (default ds).
/// </summary>
public sealed record CreateProjectRequest(
    string Name, string? DatasetId = null, string Task = "judge", PoolRequest? Pool = null, OverlapRequest? Overlap = null,
    string? GoldSetId = null, double? ControlRate = null, int? Quota = null, int? DeadlineMinutes = null,
    SuspensionRequest? Suspension = null, string? Method = null, int? Seed = null);

public sealed record ProjectResponse(
    string Id, string Name, string? DatasetId, string? GoldSetId, string Task, string State, int Rows, int ControlItems,
    IReadOnlyList<string> Pool, string Method, string Signature, DateTimeOffset? Deadline, DateTimeOffset CreatedAt,
    long Votes, int FinishedRows, int SuspendedAssessors);

/// <summary>A suspension (with its evidence) or a reinstatement; AfterVotes is the project's vote count at the time.</summary>
public sealed record SuspensionEventResponse(
    string AssessorId, string Kind, string? Signal, int? Successes, int? Count, double? WilsonUpper, double? Threshold,
    string Reason, long AfterVotes, DateTimeOffset At);

/// <summary>An assessor's standing in a project (admin view): answers, controls, online skill, suspension.</summary>
public sealed record ProjectAssessorResponse(
    string AssessorId, int Answers, int Controls, int ControlsRight, double Skill, int FastAnswers, int AgreementChecks,
    int Agreements, bool Suspended, string? Reason);

/// <summary>A row's label: Method's label with its posterior, valid votes, posterior entropy (nats), the error type most
/// named by those who called it bad, and the trusted reference (an accepted post-edit) when there is one.</summary>
public sealed record RowLabelResponse(string RowId, string Label, double Posterior, int Votes, double Entropy, string? ErrorType, string? Reference);

/// <summary>One page of labels; pass NextCursor as <c>cursor</c> for the next page (null on the last). Computation says
/// what the page serves: <c>online</c> (kept current as votes arrive) or <c>job:ID</c> (a labels job's stored full
/// recomputation, made at ComputedAt); AsOfVotes is the number of votes that computation saw.</summary>
public sealed record LabelsPage(string Method, string Signature, double? KrippendorffAlpha, int TotalRows, IReadOnlyList<RowLabelResponse> Rows, string? NextCursor,
    string? Computation = null, long? AsOfVotes = null, DateTimeOffset? ComputedAt = null);

public sealed record ImportAnswersResponse(int Votes, int Tasks, int Workers);

/// <summary>Krippendorff's α over the project's first <c>Votes</c> row votes (votes the labels count).</summary>
public sealed record AgreementPoint(int Votes, double Alpha);

/// <summary>How agreement moved as the project filled: α at evenly spaced vote counts, the last over every vote.</summary>
public sealed record AgreementResponse(string ProjectId, string Signature, IReadOnlyList<AgreementPoint> Points);

public sealed record AddReviewerRequest(string Name, string? AssessorId = null);

public sealed record ReviewerResponse(string Id, string Name, string? AssessorId, string Token);

/// <summary>A post-edit: the assessor's corrected translation with its HTER against the machine translation.</summary>
public sealed record PostEditResponse(string Id, string RowId, string Source, string Translation, string PostEdit, double Hter,
    string Signature, string State, string? AssessorId, string? ReviewerId);

public sealed record ReviewRequest(bool Accept);

// ---------- assessor-facing: never tells a control item from a row, never carries gold ----------

public sealed record ProjectItem(string ItemId, int Position, string SourceLang, string TargetLang, string Source, string Translation);

/// <summary>Status "item" with the item to judge, "no_work" (nothing for you now) or "quota_reached".</summary>
public sealed record ProjectNextResponse(string ProjectId, string Status, ProjectItem? Item, bool PostEdit);

/// <summary>An answer: verdict good/bad, optionally the error type (bad only) and a post-edit (projects that ask for one).</summary>
public sealed record ProjectAnswerRequest(string ItemId, string Verdict, string? ErrorType = null, string? PostEdit = null);

public sealed record ProjectAnswerResponse(string ProjectId, string ItemId, int Answered, ProjectNextResponse Next);

public sealed record MyProjectResponse(string ProjectId, string Name, string State, bool PostEdit);

/// <summary>Recompute the project's labels in full in a background job; Method defaults to the project's (Dawid–Skene unless set).</summary>
public sealed record RecomputeLabelsRequest(string? Method = null);

/// <summary>Send the rows a filter job put in review back to the crowd: each gets Votes (default 2) more valid votes.</summary>
public sealed record SendBackRequest(string FilterJobId, int? Votes = null);

/// <summary>Rows sent back; they are served again only to assessors who have not voted on them.</summary>
public sealed record SendBackResponse(string ProjectId, string FilterJobId, int Rows, int VotesPerRow);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RecomputeLabelsRequest))]
[JsonSerializable(typeof(SendBackRequest))]
[JsonSerializable(typeof(SendBackResponse))]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(ProjectResponse))]
[JsonSerializable(typeof(List<ProjectResponse>))]
[JsonSerializable(typeof(List<SuspensionEventResponse>))]
[JsonSerializable(typeof(List<ProjectAssessorResponse>))]
[JsonSerializable(typeof(LabelsPage))]
[JsonSerializable(typeof(AgreementResponse))]
[JsonSerializable(typeof(ImportAnswersResponse))]
[JsonSerializable(typeof(AddReviewerRequest))]
[JsonSerializable(typeof(ReviewerResponse))]
[JsonSerializable(typeof(List<PostEditResponse>))]
[JsonSerializable(typeof(PostEditResponse))]
[JsonSerializable(typeof(ReviewRequest))]
[JsonSerializable(typeof(ProjectNextResponse))]
[JsonSerializable(typeof(ProjectAnswerRequest))]
[JsonSerializable(typeof(ProjectAnswerResponse))]
[JsonSerializable(typeof(List<MyProjectResponse>))]
public sealed partial class ProjectJsonContext : JsonSerializerContext;
