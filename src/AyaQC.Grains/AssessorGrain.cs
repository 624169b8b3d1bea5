using AyaQC.Storage;

namespace AyaQC.Grains;

/// <summary>Loads the assessor's row on activation and writes every change through the store before answering.</summary>
public sealed class AssessorGrain(IQualificationStore store) : Grain, IAssessorGrain
{
    StoredAssessorRecord? _record;

    public override async Task OnActivateAsync(CancellationToken ct) => _record = await store.GetAssessorRecordAsync(this.GetPrimaryKeyString(), ct);

    public Task<AssessorProfile?> GetProfileAsync() => Task.FromResult(_record is { } r
        ? new AssessorProfile(r.Assessor.Id, r.Assessor.Name, r.Assessor.Languages, r.Assessor.CreatedAt, r.SuspendedAt, r.Skills)
        : null);

    public Task<bool> AcceptsAsync(string tokenHash) =>
        Task.FromResult(_record is { SuspendedAt: null } r && r.TokenHash == tokenHash);

    public async Task<bool> ReplaceTokenAsync(string tokenHash)
    {
        if (_record is null || !await store.ReplaceAssessorTokenAsync(_record.Assessor.Id, tokenHash)) return false;
        _record = _record with { TokenHash = tokenHash };
        return true;
    }

    public async Task<bool> SetSuspendedAsync(DateTimeOffset? since)
    {
        if (_record is null || !await store.SetAssessorSuspendedAsync(_record.Assessor.Id, since)) return false;
        _record = _record with { SuspendedAt = since };
        return true;
    }

    public async Task<bool> SetSkillAsync(string skill, double estimate, DateTimeOffset at)
    {
        if (_record is null) return false;
        await store.SetAssessorSkillAsync(_record.Assessor.Id, skill, estimate, at);
        _record = _record with { Skills = new Dictionary<string, double>(_record.Skills) { [skill] = estimate } };
        return true;
    }
}
