namespace AyaQC.Contracts;

// Shapes of the /api/v1 qualification API, shared by the server and its clients (JSON is camelCase).
// Verdicts are "good" | "bad"; error types are the codes of AyaQC.Core.Qualification.ErrorTypes.

/// <summary>One problem in a request or an imported file; Line is 1-based for JSONL/CSV bodies.</summary>
public sealed record FieldProblem(int? Line, string Field, string Message);

/// <summary>Warnings (e.g. an error type with few items) are listed on import; they do not stop it.</summary>
public sealed record GoldSetResponse(
    string Id, string Name, int ItemCount, int GoodCount, int BadCount, DateTimeOffset CreatedAt, bool Replayed,
    IReadOnlyList<FieldProblem>? Warnings);

public sealed record AssessorRegistration(string Name, IReadOnlyList<string>? Languages = null);

/// <summary>Registers assessors all-or-nothing; resending the same BatchId returns the earlier assessors (without tokens).</summary>
public sealed record RegisterAssessorsRequest(IReadOnlyList<AssessorRegistration> Assessors, string? BatchId = null);

/// <summary>Token is shown once, when the assessor is created (only its hash is stored).</summary>
public sealed record RegisteredAssessor(string Id, string Name, string? Token);

public sealed record RegisterAssessorsResponse(IReadOnlyList<RegisteredAssessor> Assessors, bool Replayed);

public sealed record AssessorResponse(string Id, string Name, IReadOnlyList<string> Languages, DateTimeOffset CreatedAt);

public sealed record TokenResponse(string AssessorId, string Token);

/// <summary>An assessor as the cluster sees them now: active or suspended (since when), and skill estimates (0..1) by skill name.</summary>
public sealed record AssessorStatusResponse(
    string Id, string Name, IReadOnlyList<string> Languages, DateTimeOffset CreatedAt, bool Active, DateTimeOffset? SuspendedAt,
    IReadOnlyDictionary<string, double> Skills);

/// <summary>Sets one skill estimate (0..1), e.g. <c>{"skill": "swh_Latn", "estimate": 0.82}</c>.</summary>
public sealed record SkillRequest(string Skill, double Estimate);

/// <summary>Decision rule of a round; omitted fields take AyaQC.Core's defaults.</summary>
public sealed record RoundPolicy(
    double? PassThreshold = null, double? SprtP0 = null, double? SprtP1 = null, double? SprtAlpha = null,
    double? SprtBeta = null, int? MinItemsBeforeEarlyStop = null, int? TopK = null, double? MinBadRecall = null);

public sealed record OpenRoundRequest(
    string Name, string GoldSetId, int ItemsPerAssessor = 40, IReadOnlyList<string>? AssessorIds = null,
    int? ExpiresInMinutes = null, RoundPolicy? Policy = null, int? Seed = null);

public sealed record RoundResponse(
    string Id, string Name, string GoldSetId, int ItemsPerAssessor, string Status, int Participants,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? ClosedAt, RoundPolicy Policy, string Signature);

public sealed record ErrorTypeCount(int Correct, int Total);

/// <summary>
/// Evidence for one assessor. Ratios are null where undefined (e.g. no bad item answered yet). PerErrorType counts
/// bad items caught per gold error type; ErrorTypeNamedRight is the share of caught bad items whose type was named right.
/// </summary>
public sealed record AssessorResult(
    string AssessorId, string Name, string Decision, bool DecidedEarly, int Answered, int Planned, int ItemsSaved,
    int Correct, double? Accuracy, double? BalancedAccuracy, double? CohensKappa, double? BadRecall,
    double? WilsonLow, double? WilsonHigh, IReadOnlyDictionary<string, ErrorTypeCount> PerErrorType,
    double? ErrorTypeNamedRight, string Reason, bool? Selected);

public sealed record ResultsSummary(int Assessors, int Passed, int Failed, int Undecided, int DecidedEarly, int ItemsSaved, int Answers);

public sealed record RoundResultsResponse(
    RoundResponse Round, string Signature, ResultsSummary Summary, IReadOnlyList<AssessorResult> Assessors, IReadOnlyList<string>? TopK);

// ---------- assessor-facing: never carries a gold label, explanation or gold error type ----------

public sealed record MeResponse(string AssessorId, string Name);

public sealed record MyRoundResponse(string RoundId, string Name, string Status, int Answered, int Planned, bool Complete);

public sealed record ItemToAssess(
    string ItemId, int Position, int Total, string SourceLang, string TargetLang, string Source, string Translation);

/// <summary>Status "item" with the item to judge, or "complete" when the assessor has nothing more to do.</summary>
public sealed record NextItemResponse(string RoundId, string Status, ItemToAssess? Item, int Answered, int Planned);

public sealed record AnswerRequest(string ItemId, string Verdict, string? ErrorType = null);

/// <summary>Confirms an answer and carries the next item (null when complete), saving a round trip.</summary>
public sealed record AnswerResponse(string RoundId, string ItemId, int Answered, int Planned, bool Complete, ItemToAssess? Next);
