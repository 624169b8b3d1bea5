using System.Net.Http.Headers;
using System.Text.Json;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;

namespace AyaQC.Cli.Assessment;

/// <summary>
/// Qualification and then assessment of a dataset by a simulated crowd, all through the real HTTP API: the crowd
/// qualifies on the gold set, the round's passers form the pool of two projects over the same dataset (fixed and
/// dynamic overlap, control items from the gold set), and every assessor works until the project has nothing
/// left for them. The crowd includes spammers who passed by luck and assessors whose quality drops after
/// qualification. Label accuracy is measured against the dataset's planted (trusted) labels.
/// </summary>
public sealed class AssessmentSimulation(AyaQCClient admin, HttpClient http, string adminKey)
{
    public sealed record Settings(
        int Assessors = 24, double LuckySpammers = 0.17, double Drifting = 0.17, double Spammers = 0.17, int QualificationItems = 20,
        double ControlRate = 0.3, int FixedVotes = 3, int MinVotes = 2, int MaxVotes = 5, double PricePerVote = 0.05, int Seed = 20261207);

    /// <summary>One project's outcome: votes spent, label accuracy (MV over every vote vs the service's labels), suspensions.</summary>
    public sealed record ProjectOutcome(
        string Overlap, string ProjectId, int Rows, int RowVotes, int ControlAnswers, double VotesPerRow, double MajorityVoteAccuracy,
        double ServiceAccuracy, string ServiceSignature, int AcceptedRows, double CostPerAcceptedRow,
        IReadOnlyList<SuspensionLine> Suspensions, int BadInPool, int HonestSuspended);

    /// <summary>A bad assessor in the pool: suspended or not, on which signal, after how many controls / answers.</summary>
    public sealed record SuspensionLine(string AssessorId, string Name, WorkerRole Role, bool Suspended, string? Signal, int? Controls, int Answers, string? Reason);

    public sealed record Outcome(int Qualified, int Pool, IReadOnlyDictionary<WorkerRole, int> PoolRoles, IReadOnlyList<ProjectOutcome> Projects, TimeSpan Elapsed);

    public async Task<Outcome> RunAsync(byte[] goldJsonl, string goldName, string datasetPath, Settings s, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var gold = QualificationSetReader.Read(goldJsonl).Items;
        var rows = ReadDataset(datasetPath);
        var truth = new Dictionary<(string, string), Verdict>();
        foreach (var g in gold) truth[(g.Source, g.Translation)] = g.Label;
        foreach (var r in rows) truth[(r.Source, r.Translation)] = r.Truth;

        // Qualification through the real round API.
        var set = await admin.ImportGoldSetAsync($"{goldName}-{Guid.NewGuid():N}"[..(goldName.Length + 9)], goldJsonl, ct: ct);
        var roles = Roles(s);
        var registered = await admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
            roles.Select((r, i) => new AssessorRegistration($"sim-{r.ToString().ToLowerInvariant()}-{i + 1:D3}", ["eng_Latn", "swh_Latn"])).ToList()), ct);
        var workers = registered.Assessors.Select((a, i) => (Account: a, Sim: new SimulatedWorker(a.Id, roles[i], s.Seed * 31 + i))).ToList();
        var round = await admin.OpenRoundAsync(new OpenRoundRequest("simulated qualification", set.Id, s.QualificationItems,
            workers.Select(w => w.Account.Id).ToList(), Seed: s.Seed), ct);
        var goldById = gold.ToDictionary(g => g.Id);
        await Task.WhenAll(workers.Select(async w =>
        {
            var me = admin.WithToken(w.Account.Token!);
            var item = (await me.NextItemAsync(round.Id, ct)).Item;
            while (item is not null)
                item = (await me.AnswerAsync(round.Id, new AnswerRequest(item.ItemId, w.Sim.Qualify(goldById[item.ItemId].Label).ToCode()), ct)).Next;
        }));
        await admin.CloseRoundAsync(round.Id, ct);
        var passers = (await admin.GetResultsAsync(round.Id, ct: ct)).Assessors.Where(a => a.Decision == "pass").Select(a => a.AssessorId).ToHashSet();
        var pool = workers.Where(w => passers.Contains(w.Account.Id)).ToList();

        var datasetId = await ImportDatasetAsync(datasetPath, ct);
        var projects = new List<ProjectOutcome>();
        foreach (var dynamic in new[] { false, true })
        {
            var overlap = dynamic ? new OverlapRequest(MinVotes: s.MinVotes, MaxVotes: s.MaxVotes, TargetPosterior: 0.93) : new OverlapRequest(Fixed: s.FixedVotes);
            var project = await admin.CreateProjectAsync(new CreateProjectRequest(dynamic ? "dynamic overlap" : "fixed overlap", datasetId, "judge",
                new PoolRequest(RoundId: round.Id), overlap, set.Id, s.ControlRate,
                Suspension: new SuspensionRequest(
                    Controls: new SignalRequest(true, 8, 0.8),
                    Speed: new SignalRequest(false, 1, 0), // simulated answers come back in microseconds: the speed rule would stop everyone
                    Agreement: new SignalRequest(true, 15, 0.6)),
                Seed: s.Seed), ct);
            await admin.SetProjectStateAsync(project.Id, "open", ct);
            projects.Add(await WorkAsync(project, pool, truth, rows, dynamic ? $"dynamic {s.MinVotes}-{s.MaxVotes}" : $"fixed {s.FixedVotes}", s, ct));
        }
        return new Outcome(passers.Count, pool.Count, pool.GroupBy(w => w.Sim.Role).ToDictionary(g => g.Key, g => g.Count()), projects, clock.Elapsed);
    }

    async Task<ProjectOutcome> WorkAsync(ProjectResponse project, List<(RegisteredAssessor Account, SimulatedWorker Sim)> pool,
        Dictionary<(string, string), Verdict> truth, IReadOnlyList<DatasetRow> rows, string overlap, Settings s, CancellationToken ct)
    {
        var rowVotes = new List<(string Source, string Translation, string Worker, Verdict Verdict)>();
        var controlAnswers = 0;
        var rowKeys = rows.Select(r => (r.Source, r.Translation)).ToHashSet();

        // Assessors take turns in a fixed order, one request at a time, so a seed gives the same run every time
        // (concurrent serving is measured by `ayaqc bench assessment`, not here).
        var working = new List<(SimulatedWorker Sim, AyaQCClient Me, ProjectItem Item)>();
        foreach (var w in pool)
        {
            w.Sim.StartProject();
            var me = admin.WithToken(w.Account.Token!);
            if ((await me.NextInProjectAsync(project.Id, ct)).Item is { } first) working.Add((w.Sim, me, first));
        }
        while (working.Count > 0)
        {
            for (var i = 0; i < working.Count; i++)
            {
                var (sim, me, item) = working[i];
                var verdict = sim.Assess(truth[(item.Source, item.Translation)]);
                ProjectItem? next;
                try
                {
                    next = (await me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, verdict.ToCode()), ct)).Next.Item;
                    if (rowKeys.Contains((item.Source, item.Translation))) rowVotes.Add((item.Source, item.Translation, sim.Id, verdict));
                    else controlAnswers++;
                }
                catch (AyaQCApiException e) when (e.Status == 403) // suspended: the service refuses further work
                {
                    next = null;
                }
                if (next is null) working.RemoveAt(i--);
                else working[i] = (sim, me, next);
            }
        }

        // Majority vote over every vote the crowd gave (spammers included), ties counted as wrong.
        var byRow = rowVotes.GroupBy(v => (v.Source, v.Translation)).ToDictionary(g => g.Key, g => g.ToList());
        var mvRight = rows.Count(r => byRow.TryGetValue((r.Source, r.Translation), out var votes)
            && votes.Count(v => v.Verdict == Verdict.Good) * 2 is var good && good != votes.Count
            && (good > votes.Count ? Verdict.Good : Verdict.Bad) == r.Truth);
        var page = await admin.LabelsAsync(project.Id, limit: 1, ct: ct);
        var labels = (await admin.AllLabelsAsync(project.Id, ct: ct)).ToDictionary(l => l.RowId);
        var serviceRight = rows.Count(r => labels.TryGetValue(r.Id, out var l) && l.Label == r.Truth.ToCode());
        var accepted = labels.Values.Count(l => l.Label == "good");
        var standing = (await admin.ProjectAssessorsAsync(project.Id, ct)).ToDictionary(a => a.AssessorId);
        var events = (await admin.SuspensionsAsync(project.Id, ct)).Where(e => e.Kind == "suspend").GroupBy(e => e.AssessorId).ToDictionary(g => g.Key, g => g.First());
        var lines = pool.Where(w => w.Sim.IsBad).Select(w =>
        {
            var a = standing.GetValueOrDefault(w.Account.Id);
            var e = events.GetValueOrDefault(w.Account.Id);
            return new SuspensionLine(w.Account.Id, w.Account.Name, w.Sim.Role, a?.Suspended ?? false, e?.Signal, a?.Controls, a?.Answers ?? 0, e?.Reason);
        }).ToList();
        var honestSuspended = pool.Count(w => !w.Sim.IsBad && standing.GetValueOrDefault(w.Account.Id)?.Suspended == true);
        var spent = (rowVotes.Count + controlAnswers) * s.PricePerVote;
        return new ProjectOutcome(overlap, project.Id, rows.Count, rowVotes.Count, controlAnswers, rowVotes.Count / (double)rows.Count,
            mvRight / (double)rows.Count, serviceRight / (double)rows.Count, page.Signature, accepted,
            accepted == 0 ? double.NaN : spent / accepted, lines, lines.Count, honestSuspended);
    }

    static List<WorkerRole> Roles(Settings s)
    {
        var roles = new List<WorkerRole>();
        int Count(double share) => (int)Math.Round(share * s.Assessors);
        roles.AddRange(Enumerable.Repeat(WorkerRole.LuckySpammer, Count(s.LuckySpammers)));
        roles.AddRange(Enumerable.Repeat(WorkerRole.Drifting, Count(s.Drifting)));
        roles.AddRange(Enumerable.Repeat(WorkerRole.Spammer, Count(s.Spammers)));
        roles.AddRange(Enumerable.Repeat(WorkerRole.Honest, Math.Max(0, s.Assessors - roles.Count)));
        new Random(s.Seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(roles));
        return roles;
    }

    public sealed record DatasetRow(string Id, string Source, string Translation, Verdict Truth);

    /// <summary>The dataset's rows with their trusted label (the planted truth); rows without one are skipped.</summary>
    public static IReadOnlyList<DatasetRow> ReadDataset(string path) => File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l =>
    {
        var e = JsonDocument.Parse(l).RootElement;
        var label = e.TryGetProperty("label", out var v) ? v.GetString() : null;
        return Verdicts.TryParse(label, out var truth)
            ? new DatasetRow(e.GetProperty("id").GetString()!, e.GetProperty("source").GetString()!, e.GetProperty("translation").GetString()!, truth)
            : null;
    }).OfType<DatasetRow>().ToList();

    async Task<string> ImportDatasetAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/datasets?name=simulated-{Guid.NewGuid():N}&format=jsonl")
        {
            Content = new ByteArrayContent(await File.ReadAllBytesAsync(path, ct)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"dataset import failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }
}
