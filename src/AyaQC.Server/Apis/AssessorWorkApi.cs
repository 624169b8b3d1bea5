using System.Security.Claims;
using AyaQC.Contracts;
using AyaQC.Grains;
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
        string roundId, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        var view = await grains.GetGrain<IParticipantGrain>(ParticipantKey.Of(roundId, AssessorId(user))).NextAsync(clock.GetUtcNow());
        return view.Status switch
        {
            ParticipantStatus.NotInRound => NotInRound(roundId),
            ParticipantStatus.RoundClosed => RoundNotOpen(roundId, RoundStatus.Closed),
            ParticipantStatus.RoundExpired => RoundNotOpen(roundId, RoundStatus.Expired),
            _ => TypedResults.Ok(new NextItemResponse(roundId, view.Item is null ? "complete" : "item", ToContract(view.Item), view.Answered, view.Planned)),
        };
    }

    public static async Task<Results<Ok<AnswerResponse>, ProblemHttpResult>> PostAnswer(
        string roundId, AnswerRequest answer, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
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

        var receipt = await grains.GetGrain<IParticipantGrain>(ParticipantKey.Of(roundId, AssessorId(user)))
            .AnswerAsync(answer.ItemId, verdict!.Value.ToCode(), answer.ErrorType, clock.GetUtcNow());
        if (receipt.Rejection is { } why) return Rejected(Enum.Parse<AnswerRejection>(why), receipt.Detail!);
        return TypedResults.Ok(new AnswerResponse(roundId, answer.ItemId, receipt.Answered, receipt.Planned, receipt.Next is null, ToContract(receipt.Next)));
    }

    static ItemToAssess? ToContract(ItemView? i) =>
        i is null ? null : new ItemToAssess(i.ItemId, i.Position, i.Total, i.SourceLang, i.TargetLang, i.Source, i.Translation);

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
