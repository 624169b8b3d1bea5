using AyaQC.Storage;

namespace AyaQC.Grains;

/// <summary>Loads the round and its roster on activation; closing writes through the store, then tells the participants.</summary>
public sealed class RoundGrain(IQualificationStore store) : Grain, IRoundGrain
{
    RoundState? _state;

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        var id = this.GetPrimaryKeyString();
        if (await store.GetRoundAsync(id, ct) is not { } round) return;
        var roster = (await store.ListParticipantsAsync(id, ct)).Select(p => p.AssessorId).ToList();
        _state = new RoundState(round.Id, round.GoldSetId, round.ExpiresAt, round.ClosedAt, roster);
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
}
