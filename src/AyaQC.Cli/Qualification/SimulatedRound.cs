using System.Diagnostics;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Core.Qualification;

namespace AyaQC.Cli.Qualification;

/// <summary>
/// A qualification round played by a simulated crowd through the real HTTP API: import the gold set, register
/// the crowd, open a round, let every assessor fetch and answer items concurrently, close, read the results.
/// Answer latencies are recorded for the benchmark.
/// </summary>
public sealed class SimulatedRound(AyaQCClient admin)
{
    public sealed record Settings(
        int Assessors, int ItemsPerAssessor, int Seed, RoundPolicy? Policy = null,
        IReadOnlyDictionary<AssessorProfile, double>? Shares = null, string Name = "simulated round", TimeSpan ThinkTime = default);

    public sealed record Outcome(
        RoundResultsResponse Results, IReadOnlyDictionary<string, AssessorProfile> ProfileOf,
        int Answers, TimeSpan AnsweringTime, long[] AnswerLatencyTicks, int Failures);

    public async Task<Outcome> RunAsync(string setName, byte[] setJsonl, Settings settings, CancellationToken ct)
    {
        var read = QualificationSetReader.Read(setJsonl);
        if (!read.IsValid)
            throw new InvalidOperationException("the gold set is invalid: " + string.Join("; ", read.Problems.Where(p => p.IsError).Take(5)));
        var gold = read.Items.ToDictionary(i => i.Id);
        // Same content, same batch: re-running against one server reuses the imported set.
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(setJsonl))[..16];
        var set = await admin.ImportGoldSetAsync($"{setName}-{hash[..8]}", setJsonl, $"simulate:{hash}", ct);

        var profiles = SimulatedAssessor.Mix(settings.Assessors, settings.Shares ?? SimulatedAssessor.DefaultShares);
        var registered = await admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
            profiles.Select((p, i) => new AssessorRegistration($"sim-{p.ToString().ToLowerInvariant()}-{i + 1:D4}", ["eng_Latn", "swh_Latn"])).ToList()), ct);
        var crowd = registered.Assessors.Select((a, i) => (a, Sim: new SimulatedAssessor(profiles[i], settings.Seed * 7919 + i))).ToList();
        var round = await admin.OpenRoundAsync(new OpenRoundRequest(settings.Name, set.Id, settings.ItemsPerAssessor,
            crowd.Select(c => c.a.Id).ToList(), Policy: settings.Policy, Seed: settings.Seed), ct);

        var latencies = new List<long>[crowd.Count];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(crowd.Select(async (c, k) =>
        {
            var me = admin.WithToken(c.a.Token!);
            var mine = latencies[k] = new List<long>(settings.ItemsPerAssessor);
            var pause = new Random(settings.Seed + k);
            try
            {
                var item = (await me.NextItemAsync(round.Id, ct)).Item;
                if (settings.ThinkTime > TimeSpan.Zero) await Task.Delay(settings.ThinkTime * pause.NextDouble(), ct); // spread the starts
                while (item is not null)
                {
                    // A person reads the item before answering: 0.5–1.5 × the think time.
                    if (settings.ThinkTime > TimeSpan.Zero) await Task.Delay(settings.ThinkTime * (0.5 + pause.NextDouble()), ct);
                    var answer = c.Sim.Answer(item, gold[item.ItemId]);
                    var start = Stopwatch.GetTimestamp();
                    var reply = await me.AnswerAsync(round.Id, answer, ct);
                    mine.Add(Stopwatch.GetTimestamp() - start);
                    item = reply.Next;
                }
            }
            catch (Exception e) when (e is AyaQCApiException or HttpRequestException)
            {
                Interlocked.Increment(ref failures);
            }
        }));
        clock.Stop();

        await admin.CloseRoundAsync(round.Id, ct);
        var results = await admin.GetResultsAsync(round.Id, ct: ct);
        var all = latencies.SelectMany(l => l).ToArray();
        return new Outcome(results, crowd.ToDictionary(c => c.a.Id, c => c.Sim.Profile), all.Length, clock.Elapsed, all, failures);
    }
}
