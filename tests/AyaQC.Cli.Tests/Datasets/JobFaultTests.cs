using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace AyaQC.Cli.Tests.Datasets;

/// <summary>
/// Faults with real <c>ayaqc</c> processes on one SQLite file and the tiny NLLB fixture: <c>kill -9</c> of the server,
/// or of a GPU-queue worker, in the middle of a back-translation job; after a restart the job completes and every row
/// is in the results exactly once (counted in the database).
/// </summary>
public class JobFaultTests
{
    const int Rows = 400;
    static string TinyModel => RepoPaths.InRepo("tests", "AyaQC.Translation.Tests", "Fixtures", "tiny-nllb");

    sealed class Node(Process process) : IDisposable
    {
        public Process Process { get; } = process;
        public StringBuilder Output { get; } = new();
        public void KillHard() { Process.Kill(entireProcessTree: true); Process.WaitForExit(); } // SIGKILL: no shutdown code runs
        public void Dispose() { if (!Process.HasExited) KillHard(); Process.Dispose(); }
    }

    static Node Start(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ayaqc.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["Jobs__StaleAfterSeconds"] = "3";
        psi.Environment["Jobs__HeartbeatSeconds"] = "0.5";
        psi.Environment["Jobs__PollIntervalSeconds"] = "0.2";
        psi.Environment["Jobs__SchedulePollIntervalSeconds"] = "0.2";
        psi.Environment["BackTranslation__MaxSourceTokens"] = "64";
        var node = new Node(Process.Start(psi)!);
        void Keep(string? line) { if (line is not null) lock (node.Output) node.Output.AppendLine(line); }
        node.Process.OutputDataReceived += (_, e) => Keep(e.Data);
        node.Process.ErrorDataReceived += (_, e) => Keep(e.Data);
        node.Process.BeginOutputReadLine();
        node.Process.BeginErrorReadLine();
        return node;
    }

    static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    static async Task WaitUpAsync(HttpClient http, Node server)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(180); ; await Task.Delay(200))
        {
            try { if ((await http.GetAsync("health")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            string Said() { lock (server.Output) return server.Output.ToString(); }
            if (server.Process.HasExited) throw new InvalidOperationException($"the server exited with {server.Process.ExitCode}:\n{Said()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the server did not come up in 180 s:\n{Said()}");
        }
    }

    static async Task<JobResponse> WaitAsync(AyaQCClient admin, string jobId, Func<JobResponse, bool> until)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(240); ; await Task.Delay(200))
        {
            var job = await admin.GetJobAsync(jobId);
            if (until(job)) return job;
            if (job.State is "failed" or "cancelled") throw new InvalidOperationException($"job {job.State}: {job.Error}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {jobId} {job.State}: {job.RowsDone} done, {job.RowsFailed} failed");
        }
    }

    static Stream Dataset() => new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, Rows).Select(i =>
        $$"""{"id":"r{{i}}","source_lang":"eng_Latn","target_lang":"{{(i % 50 == 0 ? "zul_Latn" : "swh_Latn")}}","source":"Sentence {{i}} about the market.","translation":"Sentensi ya {{i}} kuhusu soko."}""" + "\n"))));

    static (long Results, long Distinct, long Attempts) Count(string db, string jobId)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=false");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM backtranslation_results WHERE job_id = $j), " +
                          "(SELECT COUNT(DISTINCT seq) FROM backtranslation_results WHERE job_id = $j), " +
                          "(SELECT attempts FROM backtranslation_jobs WHERE id = $j)";
        cmd.Parameters.AddWithValue("$j", jobId);
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
    }

    [Theory]
    [InlineData("server")]
    [InlineData("worker")]
    public async Task After_kill_9_mid_job_and_a_restart_every_row_is_written_exactly_once(string victim)
    {
        var dir = Directory.CreateTempSubdirectory("ayaqc-fault-");
        var db = Path.Combine(dir.FullName, "ayaqc.db");
        var key = ApiTokens.NewAdminKey();
        var url = $"http://127.0.0.1:{FreePort()}";
        // The server serves the jobs itself, or (worker case) serves none and leaves the gpu queue to worker processes.
        string[] serve = ["serve", "--urls", url, "--db", db, "--admin-key", key, "--model", TinyModel, "--device", "cpu",
                          "--queues", victim == "server" ? "default" : "none"];
        string[] worker = ["worker", "--queues", "gpu", "--db", db, "--model", TinyModel, "--device", "cpu"];
        var nodes = new List<Node>();
        try
        {
            nodes.Add(Start(dir.FullName, serve));
            using var http = new HttpClient { BaseAddress = new Uri(url + "/") };
            await WaitUpAsync(http, nodes[0]);
            if (victim == "worker") nodes.Add(Start(dir.FullName, worker));
            var admin = new AyaQCClient(http, key);
            var ds = await admin.ImportDatasetAsync("faults", Dataset());
            var job = await admin.StartBackTranslationAsync(ds.Id, new StartBackTranslationRequest(BatchSize: 4, Queue: victim == "server" ? "default" : "gpu"));

            await WaitAsync(admin, job.Id, j => j.RowsDone + j.RowsFailed >= 40);
            nodes[^1].KillHard();
            var killedAt = await Task.Run(() => victim == "server" ? (JobResponse?)null : admin.GetJobAsync(job.Id).Result);
            Assert.True(killedAt is null || killedAt.RowsDone + killedAt.RowsFailed < Rows, "the job ended before the kill: make it longer");

            nodes.Add(Start(dir.FullName, victim == "server" ? serve : worker));
            if (victim == "server") await WaitUpAsync(http, nodes[^1]);
            var done = await WaitAsync(admin, job.Id, j => j.State == "succeeded");

            Assert.Equal(Rows, done.RowsDone + done.RowsFailed);
            Assert.Equal(Rows / 50, done.RowsFailed);
            var (results, distinct, attempts) = Count(db, job.Id);
            Assert.Equal((Rows, Rows), ((int)results, (int)distinct));
            Assert.True(attempts >= 2, $"the job ran {attempts} time(s): it was not resumed");
        }
        finally
        {
            foreach (var n in nodes) n.Dispose();
            SqliteConnection.ClearAllPools();
            try { dir.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
