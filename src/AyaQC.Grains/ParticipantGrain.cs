using AyaQC.Core.Qualification;
using AyaQC.Storage;

namespace AyaQC.Grains;

/// <summary>
/// The assessor's progress in the round, read from the store on first use; each answer is judged by Core's
/// <see cref="AnswerRules"/> against that progress and committed (group commit) before it is acknowledged.
/// </summary>
public sealed class ParticipantGrain(IQualificationStore store) : Grain, IParticipantGrain
{
    string _roundId = "", _assessorId = "";
    ParticipantState? _state;
    RoundStatus _status;
    DateTimeOffset? _expiresAt;
    bool _closed;

    public override Task OnActivateAsync(CancellationToken ct)
    {
        (_roundId, _assessorId) = ParticipantKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    /// <summary>Null when the assessor is not in the round (or it does not exist).</summary>
    async Task<ParticipantState?> LoadAsync(DateTimeOffset now)
    {
        if (_state is null)
        {
            if (await store.GetProgressAsync(_roundId, _assessorId, now) is not var (state, status)) return null;
            if (await store.GetRoundAsync(_roundId) is { } round) _expiresAt = round.ExpiresAt;
            (_state, _closed) = (state, _closed || status == RoundStatus.Closed);
        }
        _status = _closed ? RoundStatus.Closed : _expiresAt is { } e && e <= now ? RoundStatus.Expired : RoundStatus.Open;
        return _state;
    }

    public async Task<ParticipantView> NextAsync(DateTimeOffset now)
    {
        if (await LoadAsync(now) is not { } state) return new(ParticipantStatus.NotInRound, 0, 0, null);
        if (_status != RoundStatus.Open)
            return new(_status == RoundStatus.Closed ? ParticipantStatus.RoundClosed : ParticipantStatus.RoundExpired, state.Answered, state.ItemIds.Count, null);
        var item = await ItemAsync(state);
        return new(item is null ? ParticipantStatus.Complete : ParticipantStatus.Item, state.Answered, state.ItemIds.Count, item);
    }

    public async Task<AnswerReceipt> AnswerAsync(string itemId, string verdict, string? errorType, DateTimeOffset now)
    {
        var known = await LoadAsync(now);
        var answer = new AnswerSubmission(_roundId, _assessorId, itemId, Verdicts.TryParse(verdict, out var v) ? v : throw new ArgumentException("verdict must be good or bad", nameof(verdict)), errorType);
        var outcome = known is null
            ? AnswerOutcome.NotInRound(_roundId)
            : _status == RoundStatus.Open
                ? await store.RecordAnswerAsync(answer, now, known)
                : AnswerRules.Apply(known, _status, answer, Verdict.Good, new QualificationPolicy()); // closed/expired: refused before anything else
        if (!outcome.Accepted)
        {
            _state = null; // judged again from the database next time, which may know more than this activation
            return new(outcome.Rejection!.Value.ToString(), outcome.Detail, known?.Answered ?? 0, known?.ItemIds.Count ?? 0, null);
        }
        _state = outcome.Progress!;
        return new(null, null, _state.Answered, _state.ItemIds.Count, await ItemAsync(_state));
    }

    public Task RoundClosedAsync()
    {
        _closed = true;
        return Task.CompletedTask;
    }

    async Task<ItemView?> ItemAsync(ParticipantState state)
    {
        if (state.CurrentItemId is not { } itemId) return null;
        var gold = await store.GetRoundItemAsync(state.RoundId, itemId)
            ?? throw new InvalidOperationException($"item '{itemId}' of round '{state.RoundId}' is missing from its gold set");
        // Deliberately only the texts: the label, explanation and error type stay on the server.
        return new ItemView(gold.Id, state.Answered + 1, state.ItemIds.Count, gold.SourceLang, gold.TargetLang, gold.Source, gold.Translation);
    }
}
