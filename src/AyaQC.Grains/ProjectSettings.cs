using System.Text.Json;
using System.Text.Json.Serialization;
using AyaQC.Contracts;
using AyaQC.Core.Assessment;
using AyaQC.Core.Crowd;

namespace AyaQC.Grains;

/// <summary>A project's options as stored (settings_json): the board's settings plus the labels' method.</summary>
public sealed record ProjectSettings(
    int? FixedVotes, int MinVotes, int MaxVotes, double TargetPosterior, double ControlRate, int Quota,
    SignalRequest Controls, SignalRequest Speed, SignalRequest Agreement, double MinSecondsPerItem, string Method)
{
    public const string Judge = "judge", JudgeAndPostEdit = "judge+post-edit", Import = "import";
    public static readonly string[] TaskKinds = [Judge, JudgeAndPostEdit, Import];

    /// <summary>Reads the request, defaults included; problems name the field.</summary>
    public static (ProjectSettings? Settings, List<FieldProblem> Problems) From(CreateProjectRequest r)
    {
        var problems = new List<FieldProblem>();
        var d = SuspensionPolicy.Default;
        var o = r.Overlap ?? new OverlapRequest(Fixed: 3);
        if (o.Fixed is { } f && (f < 1 || f > 100)) problems.Add(new(null, "overlap.fixed", "must be between 1 and 100"));
        var min = o.MinVotes ?? 2;
        var max = o.MaxVotes ?? 5;
        if (o.Fixed is null && (min < 1 || max < min || max > 100)) problems.Add(new(null, "overlap", "needs 1 ≤ minVotes ≤ maxVotes ≤ 100"));
        var target = o.TargetPosterior ?? 0.95;
        if (target is <= 0.5 or >= 1) problems.Add(new(null, "overlap.targetPosterior", "must be between 0.5 and 1 (exclusive)"));
        var rate = r.ControlRate ?? (r.GoldSetId is null ? 0 : 0.1);
        if (rate is < 0 or > 0.9) problems.Add(new(null, "controlRate", "must be between 0 and 0.9"));
        if (rate > 0 && r.GoldSetId is null) problems.Add(new(null, "goldSetId", "control items need a gold set"));
        var quota = r.Quota ?? 0;
        if (quota < 0) problems.Add(new(null, "quota", "must be 0 (none) or more"));
        var s = r.Suspension ?? new SuspensionRequest();
        SignalRequest Signal(SignalRequest? given, SignalRule fallback, string field)
        {
            var g = given ?? new SignalRequest(fallback.Enabled, fallback.MinCount, fallback.UpperBoundBelow);
            if (g.MinCount < 1) problems.Add(new(null, $"suspension.{field}.minCount", "must be at least 1"));
            if (g.UpperBoundBelow is < 0 or > 1) problems.Add(new(null, $"suspension.{field}.upperBoundBelow", "must be between 0 and 1"));
            return g;
        }
        var controls = Signal(s.Controls, d.Controls, "controls");
        var speed = Signal(s.Speed, d.Speed, "speed");
        var agreement = Signal(s.Agreement, d.Agreement, "agreement");
        var minSeconds = s.MinSecondsPerItem ?? d.MinSecondsPerItem;
        if (minSeconds < 0) problems.Add(new(null, "suspension.minSecondsPerItem", "must be 0 or more"));
        var method = (r.Method ?? "ds").ToLowerInvariant();
        if (!CrowdMethods.Names.Contains(method)) problems.Add(new(null, "method", $"must be one of: {string.Join(", ", CrowdMethods.Names)}"));
        return problems.Count > 0 ? (null, problems)
            : (new ProjectSettings(o.Fixed, min, max, target, rate, quota, controls, speed, agreement, minSeconds, method), problems);
    }

    public AssessmentSettings ToBoardSettings() => new()
    {
        Overlap = FixedVotes is { } k ? OverlapRule.FixedVotes(k)
            : OverlapRule.DynamicVotes(new DynamicOverlapPolicy { MinVotes = MinVotes, MaxVotes = MaxVotes, TargetPosterior = TargetPosterior }),
        ControlRate = ControlRate,
        Quota = Quota,
        Suspension = new SuspensionPolicy
        {
            Controls = Rule(Controls), Speed = Rule(Speed), Agreement = Rule(Agreement), MinSecondsPerItem = MinSecondsPerItem,
        },
    };

    static SignalRule Rule(SignalRequest s) => new(s.Enabled, s.MinCount, s.UpperBoundBelow);

    public string ToJson() => JsonSerializer.Serialize(this, ProjectSettingsJson.Default.ProjectSettings);
    public static ProjectSettings FromJson(string json) => JsonSerializer.Deserialize(json, ProjectSettingsJson.Default.ProjectSettings)!;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProjectSettings))]
internal sealed partial class ProjectSettingsJson : JsonSerializerContext;
