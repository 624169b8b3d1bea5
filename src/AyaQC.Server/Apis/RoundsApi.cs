using AyaQC.Contracts;
using AyaQC.Grains;
using AyaQC.Core.Qualification;
using AyaQC.Server.Auth;
using AyaQC.Server.Qualification;
using AyaQC.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AyaQC.Server.Apis;

/// <summary>Qualification rounds (admin): open from a gold set, list, inspect, close, read the results.</summary>
public static class RoundsApi
{
    public static IEndpointRouteBuilder MapRoundsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/rounds").WithTags("Rounds").RequireAuthorization(Roles.Admin);
        api.MapPost("", OpenRound)
            .WithSummary("Open a round: each assessor gets a shuffled, balanced draw of the gold set.");
        api.MapGet("", ListRounds);
        api.MapGet("/{id}", GetRound);
        api.MapPost("/{id}/close", CloseRound);
        api.MapGet("/{id}/results", GetResults)
            .WithSummary("Per-assessor pass/fail/undecided with the evidence; topK also selects the best assessors.");
        return app;
    }

    public static async Task<Results<Created<RoundResponse>, ProblemHttpResult>> OpenRound(
        OpenRoundRequest request, IQualificationStore store, IGrainFactory grains, TimeProvider clock, CancellationToken ct)
    {
        var (policy, problems) = RoundContracts.ToCore(request.Policy);
        if (string.IsNullOrWhiteSpace(request.Name)) problems.Add(new(null, "name", "name is required"));
        if (request.ExpiresInMinutes is <= 0) problems.Add(new(null, "expiresInMinutes", "must be positive"));
        var set = string.IsNullOrWhiteSpace(request.GoldSetId) ? null : await store.GetGoldSetAsync(request.GoldSetId, ct);
        if (set is null) problems.Add(new(null, "goldSetId", $"gold set '{request.GoldSetId}' does not exist"));
        else if (request.ItemsPerAssessor < 1 || request.ItemsPerAssessor > set.ItemCount)
            problems.Add(new(null, "itemsPerAssessor", $"must be between 1 and the set's {set.ItemCount} items"));

        var registered = (await store.ListAssessorsAsync(ct)).Select(a => a.Id).ToHashSet();
        var assessorIds = request.AssessorIds?.Distinct().ToList() ?? registered.ToList();
        foreach (var (id, i) in assessorIds.Select((id, i) => (id, i)))
            if (!registered.Contains(id)) problems.Add(new(null, $"assessorIds[{i}]", $"assessor '{id}' does not exist"));
        if (assessorIds.Count == 0) problems.Add(new(null, "assessorIds", "the round needs at least one assessor; register assessors first"));
        if (problems.Count > 0)
            return Problems.Invalid($"the round was not opened: {problems[0].Field}: {problems[0].Message}", problems);

        var items = await store.GetGoldItemsAsync(set!.Id, ct);
        var rng = request.Seed is { } seed ? new Random(seed) : new Random();
        var roster = assessorIds
            .Select(id => new RosterEntry(id, RoundDraw.Draw(items, request.ItemsPerAssessor, rng).Select(i => i.Id).ToList()))
            .ToList();
        var now = clock.GetUtcNow();
        var roundId = SqlQualificationStore.NewId("rnd");
        // The round's grain writes it through the store before it answers; from then on it owns the round.
        await grains.GetGrain<IRoundGrain>(roundId).OpenAsync(new RoundOpening(request.Name.Trim(), set.Id, request.ItemsPerAssessor, policy, now,
            request.ExpiresInMinutes is { } m ? now.AddMinutes(m) : null, roster));
        var round = await store.GetRoundAsync(roundId, ct) ?? throw new InvalidOperationException($"round '{roundId}' vanished after opening");
        return TypedResults.Created($"/api/v1/rounds/{round.Id}", RoundContracts.ToResponse(round, now));
    }

    public static async Task<Ok<List<RoundResponse>>> ListRounds(IQualificationStore store, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok((await store.ListRoundsAsync(ct)).Select(r => RoundContracts.ToResponse(r, clock.GetUtcNow())).ToList());

    public static async Task<Results<Ok<RoundResponse>, ProblemHttpResult>> GetRound(
        string id, IQualificationStore store, TimeProvider clock, CancellationToken ct) =>
        await store.GetRoundAsync(id, ct) is { } r ? TypedResults.Ok(RoundContracts.ToResponse(r, clock.GetUtcNow())) : Problems.NotFound("round", id);

    public static async Task<Results<Ok<RoundResponse>, ProblemHttpResult>> CloseRound(
        string id, IQualificationStore store, IGrainFactory grains, TimeProvider clock, CancellationToken ct)
    {
        if (!await grains.GetGrain<IRoundGrain>(id).CloseAsync(clock.GetUtcNow()))
            return await store.GetRoundAsync(id, ct) is null
                ? Problems.NotFound("round", id)
                : Problems.Conflict($"round '{id}' is already closed", "round_closed");
        return TypedResults.Ok(RoundContracts.ToResponse((await store.GetRoundAsync(id, ct))!, clock.GetUtcNow()));
    }

    public static async Task<Results<Ok<RoundResultsResponse>, ProblemHttpResult>> GetResults(
        string id, int? topK, IQualificationStore store, IGrainFactory grains, TimeProvider clock, CancellationToken ct)
    {
        if (topK is < 1) return Problems.Invalid("topK", "must be at least 1");
        if (await store.GetRoundAsync(id, ct) is not { } round) return Problems.NotFound("round", id);
        return TypedResults.Ok(await RoundResults.BuildAsync(grains, store, round, topK, clock.GetUtcNow(), ct));
    }
}
