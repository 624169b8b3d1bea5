using System.Collections.Concurrent;
using AyaQC.Core.Assessment;
using AyaQC.Core.Crowd;
using AyaQC.Storage;
using AnswerRejection = AyaQC.Core.Assessment.AnswerRejection;
using AyaQC.Storage.Assessment;

namespace AyaQC.Server.Assessment;

/// <summary>Why the project refused a request (mapped to problem details by the APIs).</summary>
public enum ProjectRefusal { NotFound, NotInPool, NotOpen, NotServed, AlreadyAnswered, Suspended, NoBoard }

public sealed class ProjectRefusedException(ProjectRefusal why, string detail) : Exception(detail)
{
    public ProjectRefusal Why { get; } = why;
}

/// <summary>
/// The projects live on this node, each owned by one <see cref="ProjectBoard"/>, loaded on first use by replaying
/// its stored votes and events. Changes are applied to the board under its gate and stored before the caller is
/// answered; a failed write drops the board so the next request rebuilds it from the database.
/// <para>One owner per project rather than a grain per row: choosing the next row for an assessor needs every
/// row's state at once, and one vote is then one in-memory step plus one (group-committed) write.</para>
/// </summary>
public sealed class ProjectBoards(ProjectStore store, IQualificationStore qualification)
{
    readonly ConcurrentDictionary<string, Lazy<Task<ProjectBoard?>>> _boards = new(StringComparer.Ordinal);
    readonly PostEditScore _hter = new();

    public async Task<ProjectBoard?> GetAsync(string projectId, CancellationToken ct)
    {
        var lazy = _boards.GetOrAdd(projectId, id => new Lazy<Task<ProjectBoard?>>(() => LoadAsync(id)));
        try
        {
            var board = await lazy.Value.WaitAsync(ct);
            if (board is null) _boards.TryRemove(new(projectId, lazy));
            return board;
        }
        catch
        {
            _boards.TryRemove(new(projectId, lazy));
            throw;
        }
    }

    public void Forget(string projectId) => _boards.TryRemove(projectId, out _);

    async Task<ProjectBoard?> LoadAsync(string projectId)
    {
        var ct = CancellationToken.None;
        if (await store.GetAsync(projectId, ct) is not { } project) return null;
        var settings = ProjectSettings.FromJson(project.SettingsJson);
        var rows = project.DatasetId is { } ds ? await store.DatasetRowsAsync(ds, ct) : [];
        var controls = project.GoldSetId is { } gs && settings.ControlRate > 0 ? await qualification.GetGoldItemsAsync(gs, ct) : [];
        var board = new ProjectBoard(project, settings, rows, controls, await store.PoolAsync(projectId, ct));
        var events = await store.EventsAsync(projectId, ct);
        var e = 0;
        foreach (var v in await store.VotesAsync(projectId, ct))
        {
            for (; e < events.Count && events[e].AfterVotes <= board.VoteCount; e++) ApplyEvent(board, events[e]);
            Replay(board, v);
        }
        for (; e < events.Count; e++) ApplyEvent(board, events[e]);
        board.EventCount = events.Count;
        foreach (var p in await store.PostEditsAsync(projectId, "accepted", ct)) board.References[p.RowId] = p.Text;
        return board;
    }

    static void Replay(ProjectBoard board, StoredVote v)
    {
        board.Votes.Add(v);
        board.VoteCount = Math.Max(board.VoteCount, v.Seq);
        board.CountErrorType(v.ItemId, v.ErrorType);
        if (board.Board is { } b && b.TryGetItem(v.ItemId, out _))
            b.Replay(v.AssessorId, v.ItemId, LabelId(board, v.Label), v.Seconds);
    }

    static int LabelId(ProjectBoard board, string label)
    {
        for (var i = 0; i < board.Labels.Count; i++) if (board.Labels[i] == label) return i;
        throw new InvalidOperationException($"stored vote label '{label}' is not one of the project's labels");
    }

    static void ApplyEvent(ProjectBoard board, StoredEvent e)
    {
        if (board.Board is not { } b) return;
        if (e.Kind == "reinstate") { b.Reinstate(e.AssessorId); return; }
        var record = b.Assessor(e.AssessorId);
        if (record is null || record.Suspended) return; // the replay already suspended them at this point
        var signal = Enum.TryParse<WatchSignal>(e.Signal, ignoreCase: true, out var s) ? s : WatchSignal.Controls;
        b.Suspend(record, new SuspensionEvidence(signal, e.Successes ?? 0, e.Count ?? 0, e.WilsonUpper ?? 0, e.Threshold ?? 0, record.Answers));
    }

    /// <summary>The item the assessor should judge now (their unanswered one, or a new one).</summary>
    public async Task<ProjectNextResult> NextAsync(ProjectBoard p, string assessorId, DateTimeOffset now, CancellationToken ct)
    {
        CheckWorker(p, assessorId, now);
        await p.Gate.WaitAsync(ct);
        try { return Describe(p, p.Board!.Next(assessorId, now)); }
        finally { p.Gate.Release(); }
    }

    static ProjectNextResult Describe(ProjectBoard p, Served served) => served.Status switch
    {
        ServeStatus.Item => new("item", p.Describe(served.ItemId!, served.Item, served.Position)),
        ServeStatus.QuotaReached => new("quota_reached", null),
        ServeStatus.Suspended => throw new ProjectRefusedException(ProjectRefusal.Suspended, "you are suspended from this project"),
        _ => new("no_work", null),
    };

    static void CheckWorker(ProjectBoard p, string assessorId, DateTimeOffset now)
    {
        if (!p.Pool.Contains(assessorId))
            throw new ProjectRefusedException(ProjectRefusal.NotInPool, $"you are not in the pool of project '{p.Project.Id}' (or it does not exist)");
        if (p.Board is null) throw new ProjectRefusedException(ProjectRefusal.NoBoard, $"project '{p.Project.Id}' only holds imported answers");
        var state = p.StateAt(now);
        if (state != "open") throw new ProjectRefusedException(ProjectRefusal.NotOpen, $"project '{p.Project.Id}' is {state}");
    }

    /// <summary>Records an answer: board first (under the gate), then the store; the next item comes back with it.</summary>
    public async Task<(int Answered, ProjectNextResult Next)> AnswerAsync(ProjectBoard p, string assessorId, string itemId, int label,
        string? errorType, string? postEdit, DateTimeOffset now, CancellationToken ct)
    {
        CheckWorker(p, assessorId, now);
        ProjectAppend append;
        ProjectNextResult next;
        int answered;
        await p.Gate.WaitAsync(ct);
        try
        {
            var b = p.Board!;
            var outcome = b.Answer(assessorId, itemId, label, now);
            if (!outcome.Accepted)
                throw new ProjectRefusedException(outcome.Rejection switch
                {
                    AnswerRejection.AlreadyAnswered => ProjectRefusal.AlreadyAnswered,
                    AnswerRejection.Suspended => ProjectRefusal.Suspended,
                    _ => ProjectRefusal.NotServed,
                }, outcome.Detail);
            var record = b.Assessor(assessorId)!;
            var vote = new StoredVote(++p.VoteCount, assessorId, itemId, p.Labels[label], errorType, record.LastAnswerSeconds, now, false);
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
            append = new ProjectAppend(p.Project.Id, [vote], events, edit is null ? [] : [edit]);
            answered = record.Answers;
            next = record.Suspended ? new("no_work", null) : Describe(p, b.Next(assessorId, now));
        }
        finally { p.Gate.Release(); }
        await StoreAsync(p, append, ct);
        return (answered, next);
    }


    static StoredEvent SuspensionEvent(ProjectBoard p, AssessorRecord a, DateTimeOffset now)
    {
        var e = a.Suspension!;
        return new StoredEvent(++p.EventCount, a.Id, "suspend", p.VoteCount, e.Signal.ToString().ToLowerInvariant(), e.Successes, e.Count,
            e.WilsonUpper, e.Threshold, e.Reason, now);
    }

    async Task StoreAsync(ProjectBoard p, ProjectAppend append, CancellationToken ct)
    {
        try { await store.AppendAsync(append, CancellationToken.None); }
        catch
        {
            Forget(p.Project.Id); // the board is ahead of the database: rebuild it on the next request
            throw;
        }
    }

    /// <summary>Lifts a suspension (admin): stored as an event at the current point of the vote sequence.</summary>
    public async Task<bool> ReinstateAsync(ProjectBoard p, string assessorId, DateTimeOffset now, CancellationToken ct)
    {
        ProjectAppend append;
        await p.Gate.WaitAsync(ct);
        try
        {
            if (p.Board is null || !p.Board.Reinstate(assessorId)) return false;
            append = ProjectAppend.Of(p.Project.Id, events: [new StoredEvent(++p.EventCount, assessorId, "reinstate", p.VoteCount, null, null, null, null, null,
                "reinstated by an admin", now)]);
        }
        finally { p.Gate.Release(); }
        await StoreAsync(p, append, ct);
        return true;
    }

    /// <summary>
    /// Imports answers from another platform (task, worker, label): into a dataset project tasks are row ids and
    /// count as votes on the board; into an import project any tasks and labels. All stored or none.
    /// </summary>
    public async Task<ImportAnswersResult> ImportAsync(ProjectBoard p, IReadOnlyList<(int Line, string Task, string Worker, string Label)> answers,
        DateTimeOffset now, CancellationToken ct)
    {
        var problems = new List<(int Line, string Field, string Message)>();
        await p.Gate.WaitAsync(ct);
        ProjectAppend append;
        try
        {
            var seen = new HashSet<(string, string)>(p.Votes.Select(v => (v.AssessorId, v.ItemId)));
            var votes = new List<StoredVote>(answers.Count);
            var seq = p.VoteCount;
            foreach (var (line, task, worker, label) in answers)
            {
                var item = task;
                if (p.Board is { } b)
                {
                    if (!p.RowIndex.TryGetValue(task, out var row)) { problems.Add((line, "task", $"'{task}' is not a row of the project's dataset")); continue; }
                    item = b.ItemId(new BoardItem(false, row));
                    if (!p.Labels.Contains(label)) { problems.Add((line, "label", $"'{label}' is not one of the project's labels ({string.Join(", ", p.Labels)})")); continue; }
                }
                if (!seen.Add((worker, item))) { problems.Add((line, "worker", $"worker '{worker}' already answered task '{task}'")); continue; }
                votes.Add(new StoredVote(++seq, worker, item, label, null, 0, now, true));
            }
            if (problems.Count > 0) throw new ImportRejectedException(problems);
            append = new ProjectAppend(p.Project.Id, votes, [], []);
            await StoreAsync(p, append, ct);
            foreach (var v in votes)
            {
                p.Votes.Add(v);
                if (p.Board is { } board) board.Replay(v.AssessorId, v.ItemId, LabelId(p, v.Label), v.Seconds);
            }
            p.VoteCount = seq;
        }
        finally { p.Gate.Release(); }
        return new ImportAnswersResult(append.Votes.Count, append.Votes.Select(v => v.ItemId).Distinct().Count(), append.Votes.Select(v => v.AssessorId).Distinct().Count());
    }

    /// <summary>
    /// The project's labels by the method (cached until the votes or suspensions change): votes of suspended
    /// assessors left out, control items held at their gold. Task names are row ids.
    /// </summary>
    public async Task<LabelSet> LabelsAsync(ProjectBoard p, string method, CancellationToken ct)
    {
        await p.Gate.WaitAsync(ct);
        try
        {
            if (p.CachedLabels is { } c && c.Method == method && c.Votes == p.VoteCount && c.Events == p.EventCount) return c.Labels;
            var (votes, known) = LabelInputs(p);
            var labels = AssessmentLabels.Compute(votes, known, method, p.Board is null ? null : p.Labels);
            p.CachedLabels = (method, p.VoteCount, p.EventCount, labels);
            return labels;
        }
        finally { p.Gate.Release(); }
    }

    /// <summary>Krippendorff's α as the votes came in (cached like the labels); the same votes the labels count.</summary>
    public async Task<IReadOnlyList<AlphaPoint>> AgreementOverTimeAsync(ProjectBoard p, int points, CancellationToken ct)
    {
        await p.Gate.WaitAsync(ct);
        try
        {
            if (p.CachedAgreement is { } c && c.Points == points && c.Votes == p.VoteCount && c.Events == p.EventCount) return c.Alpha;
            var (votes, known) = LabelInputs(p);
            var alpha = AssessmentLabels.AlphaOverTime(votes, known, p.Board is null ? null : p.Labels, points);
            p.CachedAgreement = (points, p.VoteCount, p.EventCount, alpha);
            return alpha;
        }
        finally { p.Gate.Release(); }
    }

    /// <summary>The votes the labels count (suspended assessors left out) by row id, and the controls' gold as known labels. Call under the gate.</summary>
    static (List<LabelVote> Votes, Dictionary<string, string> Known) LabelInputs(ProjectBoard p)
    {
        var votes = new List<LabelVote>(p.Votes.Count);
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in p.Votes)
        {
            if (p.Board is { } b)
            {
                if (b.Assessor(v.AssessorId) is { Suspended: true } || !b.TryGetItem(v.ItemId, out var item)) continue;
                if (item.IsControl) known[v.ItemId] = p.Labels[b.Controls[item.Index].Label];
                votes.Add(new LabelVote(item.IsControl ? v.ItemId : p.Rows[item.Index].RowId, v.AssessorId, v.Label));
            }
            else votes.Add(new LabelVote(v.ItemId, v.AssessorId, v.Label));
        }
        return (votes, known);
    }

    /// <summary>
    /// The crowd's view of each dataset row, for the agreement model: every vote (suspended assessors left out) with
    /// the voter's skill from the labels (Dawid–Skene accuracy) and whether the voter answered control items; and the
    /// accepted post-edits. Keyed by row id.
    /// </summary>
    public async Task<(Dictionary<string, List<AyaQC.Core.Filtering.RowVote>> Votes, Dictionary<string, string> References)> RowSignalsAsync(
        ProjectBoard p, CancellationToken ct)
    {
        var labels = await LabelsAsync(p, "ds", ct);
        await p.Gate.WaitAsync(ct);
        try
        {
            var votes = new Dictionary<string, List<AyaQC.Core.Filtering.RowVote>>(StringComparer.Ordinal);
            foreach (var v in p.Votes)
            {
                string rowId;
                bool verified;
                if (p.Board is { } b)
                {
                    if (b.Assessor(v.AssessorId) is not { Suspended: false } assessor || !b.TryGetItem(v.ItemId, out var item) || item.IsControl) continue;
                    rowId = p.Rows[item.Index].RowId;
                    verified = assessor.Controls > 0;
                }
                else (rowId, verified) = (v.ItemId, false);
                if (!votes.TryGetValue(rowId, out var list)) votes[rowId] = list = [];
                list.Add(new AyaQC.Core.Filtering.RowVote(v.Label == "good", labels.Skills.GetValueOrDefault(v.AssessorId, 0.5), verified));
            }
            return (votes, new Dictionary<string, string>(p.References, StringComparer.Ordinal));
        }
        finally { p.Gate.Release(); }
    }

    public async Task SetStateAsync(ProjectBoard p, string state, CancellationToken ct)
    {
        await p.Gate.WaitAsync(ct);
        try
        {
            await store.SetStateAsync(p.Project.Id, state, ct);
            p.State = state;
        }
        finally { p.Gate.Release(); }
    }

    public async Task AcceptReferenceAsync(ProjectBoard p, string rowId, string text, CancellationToken ct)
    {
        await p.Gate.WaitAsync(ct);
        try { p.References[rowId] = text; }
        finally { p.Gate.Release(); }
    }
}

public sealed record ProjectNextResult(string Status, AyaQC.Contracts.ProjectItem? Item);

public sealed record ImportAnswersResult(int Votes, int Tasks, int Workers);

public sealed class ImportRejectedException(IReadOnlyList<(int Line, string Field, string Message)> problems)
    : Exception($"{problems.Count} problem(s); first: line {problems[0].Line}: {problems[0].Field}: {problems[0].Message}")
{
    public IReadOnlyList<(int Line, string Field, string Message)> Problems { get; } = problems;
}
