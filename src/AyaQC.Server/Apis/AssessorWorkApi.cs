using System.Security.Claims;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Server.Auth;
using AyaQC.Server.Qualification;
using AyaQC.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>
/// What an assessor does: see their rounds, fetch the current item, answer it. Responses carry the item's
/// texts only — never its gold label, explanation or error type.
/// </summary>
public static class AssessorWorkApi
{
    public static IEndpointRouteBuilder MapAssessorWorkApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").WithTags("Assessor").RequireAuthorization(Roles.Assessor);
        me.MapGet("", GetMe);
        me.MapGet("/rounds", GetMyRounds);

        var work = app.MapGroup("/api/v1/rounds/{roundId}").WithTags("Assessor").RequireAuthorization(Roles.Assessor);
        work.MapGet("/next", GetNextItem).WithSummary("The item to judge now, or status 'complete'.");
        work.MapPost("/answers", PostAnswer).WithSummary("Answer the current item good/bad (optionally naming the error type).");
        return app;
    }

    static string AssessorId(ClaimsPrincipal user) => user.FindFirstValue(Roles.AssessorIdClaim)!;

    public static Ok<MeResponse> GetMe(ClaimsPrincipal user) =>
        TypedResults.Ok(new MeResponse(AssessorId(user), user.FindFirstValue(Roles.AssessorNameClaim) ?? ""));

    public static async Task<Ok<List<MyRoundResponse>>> GetMyRounds(ClaimsPrincipal user, IQualificationStore store, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok((await store.ListRoundsOfAssessorAsync(AssessorId(user), ct)).Select(m => new MyRoundResponse(
            m.Round.Id, m.Round.Name, RoundContracts.StatusText(m.Round.StatusAt(clock.GetUtcNow())),
            m.Progress.Answered, m.Progress.ItemIds.Count, m.Progress.Complete)).ToList());

    public static async Task<Results<Ok<NextItemResponse>, ProblemHttpResult>> GetNextItem(
        string roundId, ClaimsPrincipal user, IQualificationStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetProgressAsync(roundId, AssessorId(user), clock.GetUtcNow(), ct) is not var (state, status))
            return NotInRound(roundId);
        if (status != RoundStatus.Open) return RoundNotOpen(roundId, status);
        var item = await CurrentItemAsync(store, state, ct);
        return TypedResults.Ok(new NextItemResponse(roundId, item is null ? "complete" : "item", item, state.Answered, state.ItemIds.Count));
    }

    public static async Task<Results<Ok<AnswerResponse>, ProblemHttpResult>> PostAnswer(
        string roundId, AnswerRequest answer, ClaimsPrincipal user, IQualificationStore store, TimeProvider clock, CancellationToken ct)
    {
        var problems = new List<FieldProblem>();
        if (string.IsNullOrWhiteSpace(answer.ItemId)) problems.Add(new(null, "itemId", "itemId is required"));
        Verdict? verdict = Verdicts.TryParse(answer.Verdict, out var v) ? v : null;
        if (verdict is null) problems.Add(new(null, "verdict", "verdict must be 'good' or 'bad'"));
        if (answer.ErrorType is not null)
        {
            if (!ErrorTypes.IsKnown(answer.ErrorType))
                problems.Add(new(null, "errorType", $"unknown error type '{answer.ErrorType}' (the codes are listed in docs/qualification.md)"));
            else if (verdict == Verdict.Good)
                problems.Add(new(null, "errorType", "an error type goes only with verdict 'bad'"));
        }
        if (problems.Count > 0) return Problems.Invalid($"answer not accepted: {problems[0].Field}: {problems[0].Message}", problems);

        var outcome = await store.RecordAnswerAsync(
            new AnswerSubmission(roundId, AssessorId(user), answer.ItemId, verdict!.Value, answer.ErrorType), clock.GetUtcNow(), ct);
        if (!outcome.Accepted) return Rejected(outcome.Rejection!.Value, outcome.Detail!);
        var progress = outcome.Progress!;
        var next = await CurrentItemAsync(store, progress, ct);
        return TypedResults.Ok(new AnswerResponse(roundId, answer.ItemId, progress.Answered, progress.ItemIds.Count, next is null, next));
    }

    static async Task<ItemToAssess?> CurrentItemAsync(IQualificationStore store, ParticipantState state, CancellationToken ct)
    {
        if (state.CurrentItemId is not { } itemId) return null;
        var gold = await store.GetRoundItemAsync(state.RoundId, itemId, ct)
            ?? throw new InvalidOperationException($"item '{itemId}' of round '{state.RoundId}' is missing from its gold set");
        // Deliberately only the texts: the label, explanation and error type stay on the server.
        return new ItemToAssess(gold.Id, state.Answered + 1, state.ItemIds.Count, gold.SourceLang, gold.TargetLang, gold.Source, gold.Translation);
    }

    static ProblemHttpResult NotInRound(string roundId) =>
        Problems.Create(StatusCodes.Status404NotFound, "Not in this round", $"you are not a participant of round '{roundId}' (or it does not exist)", "not_in_round");

    static ProblemHttpResult RoundNotOpen(string roundId, RoundStatus status) => status == RoundStatus.Closed
        ? Problems.Conflict($"round '{roundId}' is closed", "round_closed")
        : Problems.Conflict($"round '{roundId}' has expired", "round_expired");

    static ProblemHttpResult Rejected(AnswerRejection why, string detail) => why switch
    {
        AnswerRejection.NotInRound => Problems.Create(StatusCodes.Status404NotFound, "Not in this round", detail, "not_in_round"),
        AnswerRejection.RoundClosed => Problems.Conflict(detail, "round_closed"),
        AnswerRejection.RoundExpired => Problems.Conflict(detail, "round_expired"),
        AnswerRejection.AlreadyAnswered => Problems.Conflict(detail, "already_answered"),
        AnswerRejection.NotCurrentItem => Problems.Conflict(detail, "not_current_item"),
        AnswerRejection.AssessmentComplete => Problems.Conflict(detail, "assessment_complete"),
        _ => Problems.Create(StatusCodes.Status422UnprocessableEntity, "Item not in your round", detail, "item_not_in_round"),
    };
}
