using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Tests.Shared;
using Npgsql;
using Xunit.Abstractions;

namespace AyaQC.Cli.Tests.Cluster;

/// <summary>
/// Three real <c>ayaqc serve</c> processes on one throwaway PostgreSQL form one Orleans cluster; answers are spread
/// over all three and one node is killed with SIGKILL mid-stream.
/// </summary>
public partial class ThreeNodeTests(ITestOutputHelper output)
{
    const string AdminKey = "aqa_three-node-test-admin-key-0123456789";

    [PostgresFact]
    public async Task Killing_a_node_loses_no_acknowledged_answer_and_its_assessors_continue_on_the_others()
    {
        await using var pg = await ThrowawayPostgres.StartAsync();
        var cs = await pg.CreateDatabaseAsync("cluster");
        var nodes = await Task.WhenAll(Node.StartAsync(cs), Node.StartAsync(cs), Node.StartAsync(cs)); // all at once: one schema upgrade
        await using var a = nodes[0];
        await using var b = nodes[1];
        await using var c = nodes[2];
        var admin = new AyaQCClient(a.Http, AdminKey);

        var set = (await admin.ListGoldSetsAsync()).Single(s => s.Name == "en-sw");
        var people = (await admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
            Enumerable.Range(0, 30).Select(i => new AssessorRegistration($"A{i}")).ToList()))).Assessors;
        var round = await admin.OpenRoundAsync(new OpenRoundRequest("kill", set.Id, 16, Policy: new RoundPolicy(MinItemsBeforeEarlyStop: 100)));

        var acknowledged = new ConcurrentBag<(string Assessor, string Item)>();
        int answered = 0, unavailable = 0, dropped = 0;
        var killed = new TaskCompletionSource();
        var sw = Stopwatch.StartNew();
        var killer = Task.Run(async () =>
        {
            while (Volatile.Read(ref answered) < 120) await Task.Delay(5);
            c.Kill();
            killed.SetResult();
        });
        var work = people.Select((p, i) => Task.Run(async () =>
        {
            var at = i % 3; // spread over all three nodes
            while (true)
            {
                var node = nodes[at];
                if (node.Dead) { at = (at + 1) % 3; continue; }
                var me = new AyaQCClient(node.Http, p.Token!);
                try
                {
                    var next = await me.NextItemAsync(round.Id);
                    if (next.Item is null) return;
                    await me.AnswerAsync(round.Id, new AnswerRequest(next.Item.ItemId, next.Item.Position % 2 == 0 ? "good" : "bad"));
                    acknowledged.Add((p.Id, next.Item.ItemId));
                    Interlocked.Increment(ref answered);
                }
                catch (AyaQCApiException e) when (e.Status == 409) { } // committed before its node died, refused on retry: /next moves on
                catch (AyaQCApiException e) when (e.Status == 503)
                {
                    Interlocked.Increment(ref unavailable); // a live node whose grain was on the dead one: retry elsewhere
                    at = (at + 1) % 3;
                    await Task.Delay(200);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref dropped); // the killed node's open connections (any other status fails the test)
                    at = (at + 1) % 3;
                    await Task.Delay(200);
                }
            }
        })).ToArray();
        // Quiet, the whole stream takes ~15 s; the bound only says that every assessor finishes, the dead node's too.
        await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(90));
        await killer;
        output.WriteLine($"{acknowledged.Count} answers acknowledged in {sw.Elapsed.TotalSeconds:F1} s; after the kill: {unavailable} × 503, {dropped} dropped connections");

        // every acknowledged answer is stored exactly once, and every assessor finished (those on C elsewhere)
        await using var db = new NpgsqlConnection(cs);
        await db.OpenAsync();
        var stored = new List<(string, string)>();
        await using (var cmd = new NpgsqlCommand("SELECT assessor_id, item_id FROM answers WHERE round_id = @r", db))
        {
            cmd.Parameters.AddWithValue("r", round.Id);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) stored.Add((reader.GetString(0), reader.GetString(1)));
        }
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.All(acknowledged, ack => Assert.Contains(ack, stored));
        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count());
        Assert.Equal(people.Count * 16, stored.Count);
        Assert.True(killed.Task.IsCompleted);

        // a token reissued through one node is refused by the other at once
        var victim = people[0];
        var fresh = await admin.ReissueTokenAsync(victim.Id);
        var onB = new AyaQCClient(b.Http, victim.Token!);
        var refused = await Assert.ThrowsAsync<AyaQCApiException>(() => onB.MeAsync());
        Assert.Equal(401, refused.Status);
        Assert.Equal(victim.Id, (await new AyaQCClient(b.Http, fresh.Token).MeAsync()).AssessorId);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(120), $"took {sw.Elapsed}");
    }

    [GeneratedRegex(@"AyaQC listening on \S*?(http://[0-9.:]+/?)")]
    private static partial Regex ListeningLine();

    /// <summary>One <c>ayaqc serve</c> process on a free port; its address is read from the line it prints.</summary>
    sealed class Node : IAsyncDisposable
    {
        readonly Process _process;
        Node(Process process, Uri address)
        {
            _process = process;
            // A request to a live node may wait for the dead node's grains until membership declares it dead (a few
            // seconds); on a loaded CI machine an admin call can take more than 10 s. A timed-out assessor request is
            // counted as dropped and retried elsewhere; an admin call that times out fails the test.
            Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        }

        public HttpClient Http { get; }
        public bool Dead { get; private set; }

        public static async Task<Node> StartAsync(string connectionString)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "ayaqc.dll");
            var psi = new ProcessStartInfo("dotnet", [dll, "serve", "--postgres", connectionString, "--admin-key", AdminKey, "--urls", "http://127.0.0.1:0"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepoPaths.Root, // finds qualification-sets/ like a user's checkout
            };
            var process = Process.Start(psi)!;
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var log = new ConcurrentQueue<string>();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                log.Enqueue(e.Data);
                // "AyaQC listening on http://127.0.0.1:PORT/ (postgres); ..." (other log lines mention listening too)
                if (ListeningLine().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
            };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var started = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120)));
            if (started != listening.Task)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("ayaqc serve did not start:\n" + string.Join('\n', log.TakeLast(40)));
            }
            return new Node(process, listening.Task.Result);
        }

        /// <summary>SIGKILL: no shutdown, no goodbye to the cluster.</summary>
        public void Kill()
        {
            Dead = true;
            _process.Kill();
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
