using AyaQC.Core.Assessment;
using AyaQC.Storage;
using AyaQC.Storage.Assessment;
using Orleans.Concurrency;

namespace AyaQC.Grains;

/// <summary>
/// The one owner of a project in the cluster: its <see cref="ProjectBoard"/> is rebuilt from the database on
/// activation. Each change is made on the board in one turn (no await in between), then stored; the caller is
/// answered only after the (group-committed) write. Reentrant so that the writes of many answers wait together and
/// share a commit, while the board itself still changes one turn at a time. A failed write deactivates the grain:
/// the next call rebuilds the board from what was stored.
/// <para>One owner per project rather than a grain per row: choosing the next row for an assessor needs every row's
/// state at once (which rows still need votes, which the assessor has seen), so a vote is one grain call, one
/// in-memory step and one write; the rows' votes and posteriors live in Core's <see cref="AssessmentBoard"/>.</para>
/// </summary>
[Reentrant]
public sealed class ProjectGrain(ProjectStore store, IQualificationStore qualification) : Grain, IProjectGrain
{
    readonly PostEditScore _hter = new();
    ProjectBoard? _p;

    public override async Task OnActivateAsync(CancellationToken ct) =>
        _p = await ProjectBoard.LoadAsync(store, qualification, this.GetPrimaryKeyString(), ct);

    public async Task ReloadAsync() => _p = await ProjectBoard.LoadAsync(store, qualification, this.GetPrimaryKeyString(), CancellationToken.None);

    public Task<ProjectSummary?> GetAsync(DateTimeOffset now) => Task.FromResult(_p is null ? null : Summary(_p, now));

    static ProjectSummary Summary(ProjectBoard p, DateTimeOffset now) => new(
        p.Project.Id, p.Project.Name, p.Project.DatasetId, p.Project.GoldSetId, p.Project.TaskKind, p.StateAt(now), p.Rows.Count,
        p.Board?.Controls.Count ?? 0, p.Pool.Order(StringComparer.Ordinal).ToList(), p.Settings.Method, p.Signature, p.Project.Deadline,
        p.Project.CreatedAt, p.VoteCount, p.Board?.FinishedRows() ?? 0, p.Board?.Assessors.Count(a => a.Suspended) ?? 0, p.PostEdit);

    public async Task<ProjectStateChange> SetStateAsync(string state, DateTimeOffset now)
    {
        if (_p is not { } p) return new($"project '{this.GetPrimaryKeyString()}' does not exist", "not_found", null);
        var current = p.StateAt(now);
        if (current is "closed" or "expired") return new($"project '{p.Project.Id}' is {current}", "project_" + current, null);
        if (p.Board is null && state != "closed") return new($"project '{p.Project.Id}' only holds imported answers; it cannot be opened", "import_only", null);
        await Stored(() => store.SetStateAsync(p.Project.Id, state));
        p.State = state;
        return new(null, null, Summary(p, now));
    }

    public Task<ProjectServed> NextAsync(string assessorId, DateTimeOffset now)
    {
        if (Check(assessorId, now) is { } refused) return Task.FromResult(refused);
        var p = _p!;
        var served = p.Board!.Next(assessorId, now);
        return Task.FromResult(Describe(p, served));
    }

    static ProjectServed Describe(ProjectBoard p, Served served) => served.Status switch
    {
        ServeStatus.Item => new(null, null, "item", p.Describe(served.ItemId!, served.Item, served.Position), served.Position - 1, p.PostEdit),
        ServeStatus.QuotaReached => new(null, null, "quota_reached", null, served.Position, p.PostEdit),
        ServeStatus.Suspended => Refused(ProjectRefusal.Suspended, "you are suspended from this project", p.PostEdit),
        _ => new(null, null, "no_work", null, served.Position, p.PostEdit),
    };

    static ProjectServed Refused(ProjectRefusal why, string detail, bool postEdit = false) => new(why, detail, "refused", null, 0, postEdit);

    ProjectServed? Check(string assessorId, DateTimeOffset now)
    {
        if (_p is not { } p || !p.Pool.Contains(assessorId))
            return Refused(ProjectRefusal.NotInPool, $"you are not in the pool of project '{this.GetPrimaryKeyString()}' (or it does not exist)");
        if (p.Board is null) return Refused(ProjectRefusal.NoBoard, $"project '{p.Project.Id}' only holds imported answers");
        var state = p.StateAt(now);
        return state == "open" ? null : Refused(ProjectRefusal.NotOpen, $"project '{p.Project.Id}' is {state}", p.PostEdit);
    }

    /// <summary>Records an answer: on the board first (one turn), then the store; the next item comes back with it.</summary>
    public async Task<ProjectServed> AnswerAsync(string assessorId, string itemId, string verdict, string? errorType, string? postEdit, DateTimeOffset now)
    {
        if (Check(assessorId, now) is { } refused) return refused;
        var p = _p!;
        if (postEdit is not null && !p.PostEdit) return Refused(ProjectRefusal.PostEditNotAsked, "this project does not ask for post-edits");
        var b = p.Board!;
        var outcome = b.Answer(assessorId, itemId, p.LabelId(verdict), now);
        if (!outcome.Accepted)
            return Refused(outcome.Rejection switch
            {
                AnswerRejection.AlreadyAnswered => ProjectRefusal.AlreadyAnswered,
                AnswerRejection.Suspended => ProjectRefusal.Suspended,
                _ => ProjectRefusal.NotServed,
            }, outcome.Detail, p.PostEdit);
        var record = b.Assessor(assessorId)!;
        var vote = new StoredVote(++p.VoteCount, assessorId, itemId, verdict, errorType, record.LastAnswerSeconds, now, false);
        p.Votes.Add(vote);
        p.CountErrorType(itemId, errorType);
        var events = outcome.NewlySuspended.Select(a => SuspensionEvent(p, a, now)).ToList();
        StoredPostEdit? edit = null;
        if (postEdit is not null && !outcome.Item.IsControl)
        {
            var row = p.Rows[outcome.Item.Index];
            edit = new StoredPostEdit(ProjectStore.NewId("pe"), p.Project.Id, row.RowId, assessorId, postEdit,
                _hter.Hter(row.Translation, postEdit), _hter.Signature, "pending", null, null, now);
        }
        var answered = record.Answers;
        var next = record.Suspended ? new ProjectServed(null, null, "no_work", null, answered, p.PostEdit) : Describe(p, b.Next(assessorId, now));
        await Stored(() => store.AppendAsync(new ProjectAppend(p.Project.Id, [vote], events, edit is null ? [] : [edit])));
        return next with { Answered = answered };
    }

    static StoredEvent SuspensionEvent(ProjectBoard p, AssessorRecord a, DateTimeOffset now)
    {
        var e = a.Suspension!;
        return new StoredEvent(++p.EventCount, a.Id, "suspend", p.VoteCount, e.Signal.ToString().ToLowerInvariant(), e.Successes, e.Count,
            e.WilsonUpper, e.Threshold, e.Reason, now);
    }

    /// <summary>Writes through the store; when that fails the board is ahead of the database, so this activation ends.</summary>
    async Task Stored(Func<Task> write)
    {
        try { await write(); }
        catch
        {
            DeactivateOnIdle();
            _p = null;
            throw;
        }
    }

    public async Task<ProjectAssessorView?> ReinstateAsync(string assessorId, DateTimeOffset now)
    {
        if (_p is not { Board: { } b } p || !b.Reinstate(assessorId)) return null;
        var reinstate = new StoredEvent(++p.EventCount, assessorId, "reinstate", p.VoteCount, null, null, null, null, null, "reinstated by an admin", now);
        var view = View(b.Assessor(assessorId)!);
        await Stored(() => store.AppendAsync(ProjectAppend.Of(p.Project.Id, events: [reinstate])));
        return view;
    }

    static ProjectAssessorView View(AssessorRecord a) => new(a.Id, a.Answers, a.Controls, a.ControlsCorrect, a.Skill, a.FastAnswers,
        a.AgreementChecks, a.Agreements, a.Suspended, a.Suspension?.Reason);

    public Task<List<ProjectAssessorView>> AssessorsAsync() =>
        Task.FromResult((_p?.Board?.Assessors ?? []).Select(View).ToList());

    /// <summary>
    /// Imports answers from another platform (task, worker, label): into a dataset project tasks are row ids and
    /// count as votes on the board; into an import project any tasks and labels. All stored or none.
    /// </summary>
    public async Task<ProjectImportResult> ImportAsync(List<ImportedAnswer> answers, DateTimeOffset now)
    {
        if (_p is not { } p) return new(0, 0, 0, [new ImportProblem(0, "project", "the project does not exist")]);
        var problems = new List<ImportProblem>();
        var seen = new HashSet<(string, string)>(p.Votes.Select(v => (v.AssessorId, v.ItemId)));
        var votes = new List<StoredVote>(answers.Count);
        var seq = p.VoteCount;
        foreach (var (line, task, worker, label) in answers)
        {
            var item = task;
            if (p.Board is { } b)
            {
                if (!p.RowIndex.TryGetValue(task, out var row)) { problems.Add(new(line, "task", $"'{task}' is not a row of the project's dataset")); continue; }
                item = b.ItemId(new BoardItem(false, row));
                if (!p.Labels.Contains(label)) { problems.Add(new(line, "label", $"'{label}' is not one of the project's labels ({string.Join(", ", p.Labels)})")); continue; }
            }
            if (!seen.Add((worker, item))) { problems.Add(new(line, "worker", $"worker '{worker}' already answered task '{task}'")); continue; }
            votes.Add(new StoredVote(++seq, worker, item, label, null, 0, now, true));
        }
        if (problems.Count > 0) return new(0, 0, 0, problems);
        p.AddImported(votes); // on the board in this turn, so answers arriving meanwhile number after them
        await Stored(() => store.ImportVotesAsync(p.Project.Id, votes));
        return new(votes.Count, votes.Select(v => v.ItemId).Distinct().Count(), votes.Select(v => v.AssessorId).Distinct().Count(), []);
    }

    public Task<ProjectLabelsView> LabelsAsync(string method, int start, int limit)
    {
        var p = _p ?? throw new InvalidOperationException($"project '{this.GetPrimaryKeyString()}' does not exist");
        var labels = p.LabelsBy(method);
        var rows = labels.Tasks.Where(t => !t.Known).ToList();
        var page = rows.Skip(start).Take(limit).Select(t => new RowLabelView(t.Task, t.Label, t.Posterior, t.Votes, t.Entropy,
            p.TopErrorType(t.Task), p.References.GetValueOrDefault(t.Task))).ToList();
        return Task.FromResult(new ProjectLabelsView(labels.Method, labels.Signature, labels.Alpha, rows.Count, page, p.VoteCount));
    }

    public Task<List<AlphaView>> AgreementAsync(int points) =>
        Task.FromResult((_p?.AgreementOverTime(points) ?? []).Select(a => new AlphaView(a.Votes, a.Alpha)).ToList());

    public Task<ProjectCrowdView> CrowdAsync()
    {
        var p = _p ?? throw new InvalidOperationException($"project '{this.GetPrimaryKeyString()}' does not exist");
        var (rows, controls) = p.CrowdVotes();
        return Task.FromResult(new ProjectCrowdView(rows, new Dictionary<string, string>(p.References, StringComparer.Ordinal), controls));
    }

    public Task<List<RowTextView>> RowTextsAsync(List<string> rowIds) => Task.FromResult(rowIds
        .Select(id => _p is { } p && p.RowIndex.TryGetValue(id, out var r) ? new RowTextView(id, p.Rows[r].Source, p.Rows[r].Translation) : new RowTextView(id, "", ""))
        .ToList());

    public Task AcceptReferenceAsync(string rowId, string text)
    {
        if (_p is { } p) p.References[rowId] = text;
        return Task.CompletedTask;
    }

    public async Task<ProjectMoreVotesResult> RequestMoreVotesAsync(List<string> rowIds, int more, DateTimeOffset now)
    {
        if (_p is not { Board: not null } p) return new(0, rowIds);
        var unknown = rowIds.Where(id => !p.RowIndex.ContainsKey(id)).ToList();
        if (unknown.Count > 0 || more < 1) return new(0, unknown);
        var requests = new List<StoredRowRequest>(rowIds.Count);
        foreach (var id in rowIds.Distinct(StringComparer.Ordinal))
        {
            var request = new StoredRowRequest(++p.RequestCount, id, more, p.VoteCount, now);
            if (p.ApplyRequest(request)) requests.Add(request);
        }
        if (requests.Count > 0) await Stored(() => store.AddRowRequestsAsync(p.Project.Id, requests));
        return new(requests.Count, []);
    }
}
