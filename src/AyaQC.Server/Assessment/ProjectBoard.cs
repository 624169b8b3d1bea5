using AyaQC.Contracts;
using AyaQC.Core.Assessment;
using AyaQC.Core.Qualification;
using AyaQC.Storage.Assessment;

namespace AyaQC.Server.Assessment;

/// <summary>
/// The one live owner of a project on this node: its Core board (rows, votes, assessors), the texts it serves and
/// the counters that number stored votes and events. Every change happens under <see cref="Gate"/>, and is stored
/// before the caller is answered (see <see cref="ProjectBoards"/>).
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
    public SemaphoreSlim Gate { get; } = new(1, 1);
    public string State { get; set; }
    public long VoteCount { get; set; }
    public int EventCount { get; set; }

    /// <summary>Every vote in stored order, as the labels see it (board votes and imported ones).</summary>
    public List<StoredVote> Votes { get; } = [];

    /// <summary>Error type most named per row (by votes calling it bad), for the labels' listing.</summary>
    public Dictionary<string, Dictionary<string, int>> ErrorTypes { get; } = new(StringComparer.Ordinal);

    /// <summary>Accepted post-edits: the row's trusted reference.</summary>
    public Dictionary<string, string> References { get; } = new(StringComparer.Ordinal);

    public (string Method, long Votes, int Events, LabelSet Labels)? CachedLabels { get; set; }
    public (int Points, long Votes, int Events, IReadOnlyList<AlphaPoint> Alpha)? CachedAgreement { get; set; }

    public bool PostEdit => Project.TaskKind == ProjectSettings.JudgeAndPostEdit;

    /// <summary>Project state at <paramref name="now"/>: a deadline past turns open/paused into expired.</summary>
    public string StateAt(DateTimeOffset now) =>
        State is "open" or "paused" && Project.Deadline is { } d && now >= d ? "expired" : State;

    public ProjectItem? Describe(string itemId, BoardItem item, int position)
    {
        if (item.IsControl)
        {
            var g = ControlTexts[item.Index];
            return new ProjectItem(itemId, position, g.SourceLang, g.TargetLang, g.Source, g.Translation);
        }
        var r = Rows[item.Index];
        return new ProjectItem(itemId, position, r.SourceLang, r.TargetLang, r.Source, r.Translation);
    }

    public void CountErrorType(string task, string? errorType)
    {
        if (errorType is null) return;
        if (!ErrorTypes.TryGetValue(task, out var counts)) ErrorTypes[task] = counts = new(StringComparer.Ordinal);
        counts[errorType] = counts.GetValueOrDefault(errorType) + 1;
    }
}
