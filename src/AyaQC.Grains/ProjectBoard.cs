using AyaQC.Core.Assessment;
using AyaQC.Core.Crowd;
using AyaQC.Core.Qualification;
using AyaQC.Storage;
using AyaQC.Storage.Assessment;

namespace AyaQC.Grains;

/// <summary>
/// A project's live state, rebuilt from the database by <see cref="LoadAsync"/>: its Core board (rows, votes,
/// assessors), the texts it serves and the counters that number stored votes and events. Owned by one
/// <see cref="ProjectGrain"/> (one turn at a time); the labels job builds its own from the same tables.
/// </summary>
public sealed class ProjectBoard
{
    public ProjectBoard(StoredProject project, ProjectSettings settings, IReadOnlyList<ProjectRow> rows, IReadOnlyList<GoldItem> controls, IReadOnlyList<string> pool)
    {
        Project = project;
        Settings = settings;
        Rows = rows;
        ControlTexts = controls;
        Pool = new HashSet<string>(pool, StringComparer.Ordinal);
        State = project.State;
        var boardSettings = settings.ToBoardSettings();
        Labels = boardSettings.Labels;
        var index = new Dictionary<string, int>(rows.Count, StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++) index[rows[r].RowId] = r;
        RowIndex = index;
        if (project.TaskKind != ProjectSettings.Import)
            Board = new AssessmentBoard(boardSettings, rows.Select(r => r.RowId).ToList(),
                controls.Select(g => new ControlItem(g.Id, g.Label == Verdict.Good ? 1 : 0)).ToList(),
                new OpaqueItemIds(Convert.FromHexString(project.IdKey)), project.Seed);
    }

    public StoredProject Project { get; }
    public ProjectSettings Settings { get; }
    public IReadOnlyList<ProjectRow> Rows { get; }
    public IReadOnlyDictionary<string, int> RowIndex { get; }
    public IReadOnlyList<GoldItem> ControlTexts { get; }
    public HashSet<string> Pool { get; }
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Null for import-only projects (no dataset, nothing to serve).</summary>
    public AssessmentBoard? Board { get; }
    public string State { get; set; }
    public long VoteCount { get; set; }
    public int EventCount { get; set; }
    public int RequestCount { get; set; }

    /// <summary>Every vote in stored order, as the labels see it (board votes and imported ones).</summary>
    public List<StoredVote> Votes { get; } = [];

    /// <summary>Error type most named per row (by votes calling it bad), for the labels' listing.</summary>
    public Dictionary<string, Dictionary<string, int>> ErrorTypes { get; } = new(StringComparer.Ordinal);

    /// <summary>Accepted post-edits: the row's trusted reference.</summary>
    public Dictionary<string, string> References { get; } = new(StringComparer.Ordinal);

    public (string Method, long Votes, int Events, LabelSet Labels)? CachedLabels { get; set; }
    public (int Points, long Votes, int Events, IReadOnlyList<AlphaPoint> Alpha)? CachedAgreement { get; set; }

    public bool PostEdit => Project.TaskKind == ProjectSettings.JudgeAndPostEdit;

    /// <summary>The board's overlap, control and suspension options with the labels' method.</summary>
    public string Signature => (Board?.Settings.Signature ?? "import") + "|labels:" + Settings.Method;

    /// <summary>Project state at <paramref name="now"/>: a deadline past turns open/paused into expired.</summary>
    public string StateAt(DateTimeOffset now) =>
        State is "open" or "paused" && Project.Deadline is { } d && now >= d ? "expired" : State;

    /// <summary>Reads the project and replays its stored votes, events and row requests in order; null when it does not exist.</summary>
    public static async Task<ProjectBoard?> LoadAsync(ProjectStore store, IQualificationStore qualification, string projectId, CancellationToken ct)
    {
        if (await store.GetAsync(projectId, ct) is not { } project) return null;
        var settings = ProjectSettings.FromJson(project.SettingsJson);
        var rows = project.DatasetId is { } ds ? await store.DatasetRowsAsync(ds, ct) : [];
        var controls = project.GoldSetId is { } gs && settings.ControlRate > 0 ? await qualification.GetGoldItemsAsync(gs, ct) : [];
        var board = new ProjectBoard(project, settings, rows, controls, await store.PoolAsync(projectId, ct));
        var events = await store.EventsAsync(projectId, ct);
        var requests = await store.RowRequestsAsync(projectId, ct);
        int e = 0, q = 0;
        foreach (var v in await store.VotesAsync(projectId, ct))
        {
            for (; e < events.Count && events[e].AfterVotes <= board.VoteCount; e++) board.ApplyEvent(events[e]);
            for (; q < requests.Count && requests[q].AfterVotes <= board.VoteCount; q++) board.ApplyRequest(requests[q]);
            board.Replay(v);
        }
        for (; e < events.Count; e++) board.ApplyEvent(events[e]);
        for (; q < requests.Count; q++) board.ApplyRequest(requests[q]);
        board.EventCount = events.Count;
        board.RequestCount = requests.Count;
        foreach (var p in await store.PostEditsAsync(projectId, "accepted", ct)) board.References[p.RowId] = p.Text;
        return board;
    }

    void Replay(StoredVote v)
    {
        Votes.Add(v);
        VoteCount = Math.Max(VoteCount, v.Seq);
        CountErrorType(v.ItemId, v.ErrorType);
        if (Board is { } b && b.TryGetItem(v.ItemId, out _))
            b.Replay(v.AssessorId, v.ItemId, LabelId(v.Label), v.Seconds);
    }

    /// <summary>Applies imported votes already stored (or about to be): to the board when they name its items.</summary>
    public void AddImported(IReadOnlyList<StoredVote> votes)
    {
        foreach (var v in votes)
        {
            Votes.Add(v);
            if (Board is { } b) b.Replay(v.AssessorId, v.ItemId, LabelId(v.Label), v.Seconds);
            VoteCount = Math.Max(VoteCount, v.Seq);
        }
    }

    public int LabelId(string label)
    {
        for (var i = 0; i < Labels.Count; i++) if (Labels[i] == label) return i;
        throw new InvalidOperationException($"stored vote label '{label}' is not one of the project's labels");
    }

    void ApplyEvent(StoredEvent e)
    {
        if (Board is not { } b) return;
        if (e.Kind == "reinstate") { b.Reinstate(e.AssessorId); return; }
        var record = b.Assessor(e.AssessorId);
        if (record is null || record.Suspended) return; // the replay already suspended them at this point
        var signal = Enum.TryParse<WatchSignal>(e.Signal, ignoreCase: true, out var s) ? s : WatchSignal.Controls;
        b.Suspend(record, new SuspensionEvidence(signal, e.Successes ?? 0, e.Count ?? 0, e.WilsonUpper ?? 0, e.Threshold ?? 0, record.Answers));
    }

    /// <summary>Raises a row's need: <paramref name="more"/> valid votes beyond those it holds at this point.</summary>
    public bool ApplyRequest(StoredRowRequest r) =>
        Board is { } b && RowIndex.TryGetValue(r.RowId, out var row) && b.RequestMoreVotes(row, r.More);

    public ProjectItemView Describe(string itemId, BoardItem item, int position)
    {
        if (item.IsControl)
        {
            var g = ControlTexts[item.Index];
            return new ProjectItemView(itemId, position, g.SourceLang, g.TargetLang, g.Source, g.Translation);
        }
        var r = Rows[item.Index];
        return new ProjectItemView(itemId, position, r.SourceLang, r.TargetLang, r.Source, r.Translation);
    }

    public void CountErrorType(string task, string? errorType)
    {
        if (errorType is null) return;
        if (!ErrorTypes.TryGetValue(task, out var counts)) ErrorTypes[task] = counts = new(StringComparer.Ordinal);
        counts[errorType] = counts.GetValueOrDefault(errorType) + 1;
    }

    public string? TopErrorType(string rowId)
    {
        var itemId = Board is { } b && RowIndex.TryGetValue(rowId, out var r) ? b.ItemId(new BoardItem(false, r)) : rowId;
        return ErrorTypes.TryGetValue(itemId, out var counts)
            ? counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First().Key : null;
    }

    /// <summary>The project's labels by the method (cached until the votes or suspensions change).</summary>
    public LabelSet LabelsBy(string method)
    {
        if (CachedLabels is { } c && c.Method == method && c.Votes == VoteCount && c.Events == EventCount) return c.Labels;
        var (votes, known) = LabelInputs();
        var labels = AssessmentLabels.Compute(votes, known, method, Board is null ? null : Labels);
        CachedLabels = (method, VoteCount, EventCount, labels);
        return labels;
    }

    /// <summary>Krippendorff's α as the votes came in (cached like the labels); the same votes the labels count.</summary>
    public IReadOnlyList<AlphaPoint> AgreementOverTime(int points)
    {
        if (CachedAgreement is { } c && c.Points == points && c.Votes == VoteCount && c.Events == EventCount) return c.Alpha;
        var (votes, known) = LabelInputs();
        var alpha = AssessmentLabels.AlphaOverTime(votes, known, Board is null ? null : Labels, points);
        CachedAgreement = (points, VoteCount, EventCount, alpha);
        return alpha;
    }

    /// <summary>The votes the labels count (suspended assessors left out) by row id, and the controls' gold as known labels.</summary>
    (List<LabelVote> Votes, Dictionary<string, string> Known) LabelInputs()
    {
        var votes = new List<LabelVote>(Votes.Count);
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in Votes)
        {
            if (Board is { } b)
            {
                if (b.Assessor(v.AssessorId) is { Suspended: true } || !b.TryGetItem(v.ItemId, out var item)) continue;
                if (item.IsControl) known[v.ItemId] = Labels[b.Controls[item.Index].Label];
                votes.Add(new LabelVote(item.IsControl ? v.ItemId : Rows[item.Index].RowId, v.AssessorId, v.Label));
            }
            else votes.Add(new LabelVote(v.ItemId, v.AssessorId, v.Label));
        }
        return (votes, known);
    }

    /// <summary>
    /// The crowd's view of each dataset row, for the agreement model: every vote (suspended assessors left out) with
    /// the voter's skill from the labels (Dawid–Skene accuracy) and whether the voter answered control items. Keyed by
    /// row id. Also each control item those votes answered, with its gold label: there a voter counts as verified
    /// when they answered another control item (every voter answered this one).
    /// </summary>
    public (Dictionary<string, List<CrowdVoteView>> Rows, List<ControlCrowdView> Controls) CrowdVotes()
    {
        var labels = LabelsBy("ds");
        var votes = new Dictionary<string, List<CrowdVoteView>>(StringComparer.Ordinal);
        var controls = new Dictionary<int, List<CrowdVoteView>>();
        foreach (var v in Votes)
        {
            string rowId;
            bool verified;
            if (Board is { } b)
            {
                if (b.Assessor(v.AssessorId) is not { Suspended: false } assessor || !b.TryGetItem(v.ItemId, out var item)) continue;
                if (item.IsControl)
                {
                    if (!controls.TryGetValue(item.Index, out var answers)) controls[item.Index] = answers = [];
                    answers.Add(new CrowdVoteView(v.Label == "good", labels.Skills.GetValueOrDefault(v.AssessorId, 0.5), assessor.Controls > 1));
                    continue;
                }
                rowId = Rows[item.Index].RowId;
                verified = assessor.Controls > 0;
            }
            else (rowId, verified) = (v.ItemId, false);
            if (!votes.TryGetValue(rowId, out var list)) votes[rowId] = list = [];
            list.Add(new CrowdVoteView(v.Label == "good", labels.Skills.GetValueOrDefault(v.AssessorId, 0.5), verified));
        }
        var gold = Board?.Controls ?? [];
        return (votes, controls.OrderBy(c => c.Key).Select(c => new ControlCrowdView(gold[c.Key].Id, Labels[gold[c.Key].Label] == "good", c.Value)).ToList());
    }
}
