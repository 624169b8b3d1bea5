using AyaQC.Core.Qualification;
using AyaQC.Storage;
using Microsoft.Extensions.Logging;

namespace AyaQC.Grains;

/// <summary>
/// The assessor's progress in the round, read from the store on first use (the round itself from its
/// <see cref="IRoundGrain"/>); each answer is judged by Core's <see cref="AnswerRules"/> against that progress and
/// committed (group commit) before it is acknowledged. After each committed answer the participant's decision
/// (Core's scorer over its running <see cref="AnswerTally"/>) goes to the round grain, which serves the results from it.
/// </summary>
public sealed class ParticipantGrain(IQualificationStore store, ILogger<ParticipantGrain> log) : Grain, IParticipantGrain
{
    string _roundId = "", _assessorId = "";
    ParticipantState? _state;
    AnswerTally _tally = AnswerTally.Empty;
    RoundState? _round;
    RoundStatus _status;
    bool _closed;
    AssessorDecision? _owed; // the last decision the round grain did not take yet
    IGrainTimer? _resend;
    TimeSpan _resendDelay;

    /// <summary>First and longest wait between attempts to resend a decision the round grain did not take.</summary>
    public static readonly TimeSpan FirstResendDelay = TimeSpan.FromMilliseconds(250), LongestResendDelay = TimeSpan.FromSeconds(15);

    IRoundGrain Round => GrainFactory.GetGrain<IRoundGrain>(_roundId);

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
            _round ??= await Round.GetAsync();
            if (_round is null) return null;
            _tally = await StoredTallyAsync();
            (_state, _closed) = (state, _closed || status == RoundStatus.Closed || _round.ClosedAt is not null);
        }
        _status = _closed ? RoundStatus.Closed : _round!.StatusAt(now);
        return _state;
    }

    /// <summary>The answers already committed, replayed through the same tally the answer path keeps.</summary>
    async Task<AnswerTally> StoredTallyAsync()
    {
        var tally = AnswerTally.Empty;
        foreach (var a in await store.ListAnswersAsync(_roundId, _assessorId))
            tally = tally.Add(await GradeAsync(a.ItemId, a.Verdict, a.ErrorType));
        return tally;
    }

    async Task<GradedAnswer> GradeAsync(string itemId, Verdict verdict, string? errorType)
    {
        var gold = await store.GetRoundItemAsync(_roundId, itemId)
            ?? throw new InvalidOperationException($"item '{itemId}' of round '{_roundId}' is missing from its gold set");
        return new GradedAnswer(gold.Label, gold.ErrorType, verdict, errorType);
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
                : AnswerRules.Apply(known, _status, answer, Verdict.Good, _round!.Policy); // closed/expired: refused before anything else
        if (!outcome.Accepted)
        {
            _state = null; // judged again from the database next time, which may know more than this activation
            return new(outcome.Rejection!.Value.ToString(), outcome.Detail, known?.Answered ?? 0, known?.ItemIds.Count ?? 0, null);
        }
        _state = outcome.Progress!;
        _tally = _state.Answered == _tally.Answered + 1
            ? _tally.Add(await GradeAsync(itemId, v, errorType))
            : await StoredTallyAsync(); // the store judged against a fresher read than ours: count from what it holds
        await ReportAsync();
        return new(null, null, _state.Answered, _state.ItemIds.Count, await ItemAsync(_state));
    }

    public async Task<AssessorDecision?> DecisionAsync(DateTimeOffset now) =>
        await LoadAsync(now) is { } state ? Decision(state) : null;

    AssessorDecision Decision(ParticipantState state) =>
        new(_assessorId, state.ItemIds.Count, QualificationScorer.Score(_tally, state.ItemIds.Count, _round!.Policy, state.EarlyDecision));

    /// <summary>
    /// The answer is committed whatever happens here, so a failed report does not fail the answer: a timer sends the
    /// decision again (backing off) while this activation lives — the assessor's last answer has no next call to carry
    /// it — and a round grain that was lost rebuilds from the stored answers anyway.
    /// </summary>
    async Task ReportAsync()
    {
        var decision = Decision(_state!);
        if (await TryReportAsync(decision))
        {
            StopResending();
            return;
        }
        _owed = decision;
        _resendDelay = FirstResendDelay;
        if (_resend is null)
            // KeepAlive: an idle participant is not collected while it owes its round a decision.
            _resend = this.RegisterGrainTimer(ResendAsync, new GrainTimerCreationOptions(_resendDelay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        else
            _resend.Change(_resendDelay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Timer turn (never interleaved with calls, so an answer in between has already replaced <see cref="_owed"/>).</summary>
    async Task ResendAsync(CancellationToken ct)
    {
        if (_owed is null || await TryReportAsync(_owed))
        {
            StopResending();
            return;
        }
        _resendDelay = TimeSpan.FromTicks(Math.Min(_resendDelay.Ticks * 2, LongestResendDelay.Ticks));
        _resend?.Change(_resendDelay, Timeout.InfiniteTimeSpan);
    }

    void StopResending()
    {
        _owed = null;
        _resend?.Dispose();
        _resend = null;
    }

    async Task<bool> TryReportAsync(AssessorDecision decision)
    {
        try
        {
            await Round.ReportAsync(decision);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "decision of {Assessor} in round {Round} ({Answered} answers) not reported yet; sent again in the background",
                _assessorId, _roundId, decision.Score.Answered);
            return false;
        }
    }

    /// <summary>A silo shutting down deactivates even a grain that owes a report: one last try before it goes.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        if (_owed is { } owed) await TryReportAsync(owed);
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
