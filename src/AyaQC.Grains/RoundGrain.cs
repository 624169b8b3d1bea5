using AyaQC.Core.Qualification;
using AyaQC.Storage;

namespace AyaQC.Grains;

/// <summary>
/// Opens the round through the store, closes it, and keeps every participant's decision as its grain reports it.
/// On activation (first use, or after its node was lost) it rebuilds those decisions once by replaying the stored
/// answers through Core's tally and scorer, with the early decisions the answer path stored.
/// </summary>
public sealed class RoundGrain(IQualificationStore store) : Grain, IRoundGrain
{
    RoundState? _state;
    readonly Dictionary<string, AssessorDecision> _decisions = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        var id = this.GetPrimaryKeyString();
        if (await store.GetRoundAsync(id, ct) is not { } round) return;
        var participants = await store.ListParticipantsAsync(id, ct);
        var gold = (await store.GetGoldItemsAsync(round.GoldSetId, ct)).ToDictionary(i => i.Id);
        var answers = (await store.ListAnswersAsync(id, ct)).ToLookup(a => a.AssessorId);
        foreach (var p in participants)
        {
            var tally = AnswerTally.Of(answers[p.AssessorId].OrderBy(a => a.Position).Select(a =>
                new GradedAnswer(gold[a.ItemId].Label, gold[a.ItemId].ErrorType, a.Verdict, a.ErrorType)));
            _decisions[p.AssessorId] = new(p.AssessorId, p.ItemIds.Count, QualificationScorer.Score(tally, p.ItemIds.Count, round.Policy, p.EarlyDecision));
        }
        _state = new RoundState(round.Id, round.GoldSetId, round.Policy, round.ExpiresAt, round.ClosedAt,
            participants.Select(p => p.AssessorId).ToList());
    }

    public async Task<bool> OpenAsync(RoundOpening opening)
    {
        if (_state is not null) return false;
        var id = this.GetPrimaryKeyString();
        await store.CreateRoundAsync(new NewRound(id, opening.Name, opening.GoldSetId, opening.ItemsPerAssessor, opening.Policy,
            opening.CreatedAt, opening.ExpiresAt, opening.Roster.Select(r => new RoundAssignment(r.AssessorId, r.ItemIds)).ToList()));
        foreach (var r in opening.Roster)
            _decisions[r.AssessorId] = new(r.AssessorId, r.ItemIds.Count, QualificationScorer.Score(AnswerTally.Empty, r.ItemIds.Count, opening.Policy, null));
        _state = new RoundState(id, opening.GoldSetId, opening.Policy, opening.ExpiresAt, null, opening.Roster.Select(r => r.AssessorId).ToList());
        return true;
    }

    public Task<RoundState?> GetAsync() => Task.FromResult(_state);

    public async Task<bool> CloseAsync(DateTimeOffset now)
    {
        if (_state is null || _state.ClosedAt is not null) return false;
        if (!await store.CloseRoundAsync(_state.Id, now))
        {
            _state = _state with { ClosedAt = (await store.GetRoundAsync(_state.Id))?.ClosedAt ?? now }; // closed by an older node
            return false;
        }
        _state = _state with { ClosedAt = now };
        // Participants also refuse answers through the store's check; telling them stops serving items at once.
        await Task.WhenAll(_state.Roster.Select(a => GrainFactory.GetGrain<IParticipantGrain>(ParticipantKey.Of(_state.Id, a)).RoundClosedAsync()));
        return true;
    }

    public Task ReportAsync(AssessorDecision decision)
    {
        // Reports are cumulative: one carrying fewer answers (overtaken, or older than this activation's replay) is stale.
        if (_decisions.TryGetValue(decision.AssessorId, out var known) && known.Score.Answered <= decision.Score.Answered)
            _decisions[decision.AssessorId] = decision;
        return Task.CompletedTask;
    }

    public Task<RoundDecisions?> GetResultsAsync(int? topK)
    {
        if (_state is null) return Task.FromResult<RoundDecisions?>(null);
        var all = _decisions.Values.OrderBy(d => d.AssessorId, StringComparer.Ordinal).ToList();
        var selected = (topK ?? _state.Policy.TopK) is { } k ? TopKSelection.Select(all.Select(d => (d.AssessorId, d.Score)), k) : null;
        return Task.FromResult<RoundDecisions?>(new RoundDecisions(_state.Policy, all, selected));
    }
}
