using System.CommandLine;
using System.Globalization;
using AyaQC.Cli.Qualification;
using AyaQC.Client;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;

namespace AyaQC.Cli.Assessment;

/// <summary>
/// <c>ayaqc simulate assessment</c>: qualification then assessment of the example dataset by a simulated crowd,
/// through the real HTTP API of a throwaway in-process server (temporary SQLite database).
/// </summary>
public static class SimulateAssessmentCommand
{
    public static string DefaultDataset => Path.Combine("docs", "examples", "en-sw-dataset.jsonl");

    public static Command Create()
    {
        var assessors = new Option<int>("--assessors") { Description = "Crowd size (qualification)", DefaultValueFactory = _ => 24 };
        var dataset = new Option<string>("--dataset") { Description = "Dataset JSONL with trusted labels (the planted truth)", DefaultValueFactory = _ => DefaultDataset };
        var set = new Option<string?>("--set") { Description = "Gold set file or folder (default: the shipped qualification-sets/en-sw)" };
        var controlRate = new Option<double>("--control-rate") { Description = "Share of served items that are control items", DefaultValueFactory = _ => 0.3 };
        var price = new Option<double>("--price") { Description = "Price per vote (controls included) for the cost per accepted row", DefaultValueFactory = _ => 0.05 };
        var seed = new Option<int>("--seed") { Description = "Seed for roles, draws and answers", DefaultValueFactory = _ => 20261207 };
        var command = new Command("assessment", "Qualify a simulated crowd, then assess the example dataset with fixed and dynamic overlap; compare with majority vote");
        foreach (var o in new Option[] { assessors, dataset, set, controlRate, price, seed }) command.Options.Add(o);
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var path = pr.GetValue(dataset)!;
            if (!File.Exists(path)) throw new IOException($"dataset not found: {path} (run from the repository root or pass --dataset)");
            var settings = new AssessmentSimulation.Settings(pr.GetValue(assessors), ControlRate: pr.GetValue(controlRate), PricePerVote: pr.GetValue(price), Seed: pr.GetValue(seed));
            var (name, jsonl) = GoldSetSource.Load(pr.GetValue(set));
            var outcome = await RunInProcessAsync(jsonl, name, path, settings, ct);
            Console.Out.Write(Report(outcome, settings));
        }));
        return command;
    }

    public static async Task<AssessmentSimulation.Outcome> RunInProcessAsync(byte[] goldJsonl, string goldName, string datasetPath,
        AssessmentSimulation.Settings settings, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("ayaqc-simulate-assessment-");
        try
        {
            var key = ApiTokens.NewAdminKey();
            await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
            {
                Storage = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(dir.FullName, "ayaqc.db")}" },
                AdminKey = key, LoadShippedSets = false,
            }, ct);
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            return await new AssessmentSimulation(new AyaQCClient(http, key), http, key).RunAsync(goldJsonl, goldName, datasetPath, settings, ct);
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { }
        }
    }

    public static string Report(AssessmentSimulation.Outcome o, AssessmentSimulation.Settings s)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"qualification  {s.Assessors} assessors, {o.Qualified} passed; pool: {string.Join(", ", o.PoolRoles.OrderBy(r => r.Key).Select(r => $"{r.Value} {r.Key}"))}");
        w.WriteLine();
        w.WriteLine($"{"overlap",-14} {"rows",5} {"votes/row",9} {"controls",8} {"MV acc",7} {"service acc",11} {"accepted",8} {"cost/accepted",13}");
        foreach (var p in o.Projects)
            w.WriteLine($"{p.Overlap,-14} {p.Rows,5} {p.VotesPerRow,9:F2} {p.ControlAnswers,8} {p.MajorityVoteAccuracy,7:F3} {p.ServiceAccuracy,11:F3} {p.AcceptedRows,8} {p.CostPerAcceptedRow,13:F3}");
        w.WriteLine($"MV = majority vote over every vote given; service = the project's labels ({o.Projects[0].ServiceSignature})");
        w.WriteLine($"cost = (row votes + control answers) × {s.PricePerVote} per vote / rows labelled good");
        foreach (var p in o.Projects)
        {
            w.WriteLine();
            w.WriteLine($"{p.Overlap}: {p.Suspensions.Count(x => x.Suspended)} of {p.BadInPool} bad assessors suspended, {p.HonestSuspended} honest suspended");
            foreach (var x in p.Suspensions.OrderBy(x => x.Role).ThenBy(x => x.Name, StringComparer.Ordinal))
                w.WriteLine(x.Suspended
                    ? $"  {x.Name} {x.Role,-12} suspended on {x.Signal} after {x.Controls} controls, {x.Answers} answers: {x.Reason}"
                    : $"  {x.Name} {x.Role,-12} not suspended ({x.Controls} controls, {x.Answers} answers)");
        }
        w.WriteLine();
        w.WriteLine($"elapsed {o.Elapsed.TotalSeconds:F1} s");
        return w.ToString();
    }
}
