using System.CommandLine;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using Spectre.Console;

namespace AyaQC.Cli.Qualification;

/// <summary>
/// <c>ayaqc simulate</c>: a whole qualification round with a simulated crowd through the real HTTP API —
/// against --server, or a throwaway in-process server with a temporary SQLite database.
/// </summary>
public static class SimulateCommand
{
    public const int DefaultSeed = 20261122;

    public static void Configure(Command simulate)
    {
        var connection = new ServerConnection();
        var assessors = new Option<int>("--assessors") { Description = "Crowd size", DefaultValueFactory = _ => 200 };
        var items = new Option<int>("--items") { Description = "Items drawn per assessor", DefaultValueFactory = _ => 40 };
        var set = new Option<string?>("--set") { Description = "Gold set file or folder (default: the shipped qualification-sets/en-sw)" };
        var seed = new Option<int>("--seed") { Description = "Seed for draws and simulated answers (same seed, same round)", DefaultValueFactory = _ => DefaultSeed };
        var mix = new Option<string?>("--mix") { Description = "Crowd shares, e.g. skilled=0.3,average=0.3,spammer=0.2,biased-good=0.2 (the default)" };
        var details = new Option<bool>("--details") { Description = "Also print every assessor's row" };
        var policy = new PolicyOptions();
        connection.AddTo(simulate);
        foreach (var o in new Option[] { assessors, items, set, seed, mix, details }.Concat(policy.All)) simulate.Options.Add(o);

        simulate.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var (setName, jsonl) = GoldSetSource.Load(pr.GetValue(set));
            var settings = new SimulatedRound.Settings(pr.GetValue(assessors), pr.GetValue(items), pr.GetValue(seed),
                policy.Read(pr), ParseMix(pr.GetValue(mix)));
            var remote = pr.GetValue(connection.Server) ?? Environment.GetEnvironmentVariable("AYAQC_SERVER");
            SimulatedRound.Outcome outcome;
            if (remote is not null)
            {
                AnsiConsole.MarkupLine($"Simulating {settings.Assessors} assessors against [bold]{Markup.Escape(remote)}[/] …");
                outcome = await new SimulatedRound(connection.AdminClient(pr)).RunAsync(setName, jsonl, settings, ct);
            }
            else
                outcome = await RunInProcessAsync(setName, jsonl, settings, ct);
            Report(outcome, pr.GetValue(details));
        }));
    }

    /// <summary>A throwaway server on a free loopback port with a temporary SQLite database, removed afterwards.</summary>
    public static async Task<SimulatedRound.Outcome> RunInProcessAsync(string setName, byte[] jsonl, SimulatedRound.Settings settings, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("ayaqc-simulate-");
        try
        {
            var key = ApiTokens.NewAdminKey();
            await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
            {
                Storage = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(dir.FullName, "ayaqc.db")}" },
                AdminKey = key,
                LoadShippedSets = false,
            }, ct);
            AnsiConsole.MarkupLine($"Simulating {settings.Assessors} assessors through a throwaway server at [bold]{server.BaseAddress}[/] (temporary SQLite) …");
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            return await new SimulatedRound(new AyaQCClient(http, key)).RunAsync(setName, jsonl, settings, ct);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    static void Report(SimulatedRound.Outcome o, bool details)
    {
        string Profile(AssessorResult a) => ProfileName(o.ProfileOf[a.AssessorId]);
        if (details) AnsiConsole.Write(ResultsTable.PerAssessor(o.Results, Profile));
        AnsiConsole.Write(ResultsTable.ByGroup(o.Results, Profile));
        AnsiConsole.MarkupLine($"signature: {Markup.Escape(o.Results.Signature)}");
        var spammersPassed = o.Results.Assessors.Count(a => o.ProfileOf[a.AssessorId] == AssessorProfile.Spammer && a.Decision == "pass");
        var skilledNotPassed = o.Results.Assessors.Count(a => o.ProfileOf[a.AssessorId] == AssessorProfile.Skilled && a.Decision != "pass");
        AnsiConsole.MarkupLine(spammersPassed == 0 ? "[green]✓[/] every spammer failed" : $"[red]✗ {spammersPassed} spammer(s) passed[/]");
        AnsiConsole.MarkupLine(skilledNotPassed == 0 ? "[green]✓[/] every skilled assessor passed" : $"[red]✗ {skilledNotPassed} skilled assessor(s) did not pass[/]");
        if (o.Failures > 0) AnsiConsole.MarkupLine($"[red]{o.Failures} simulated assessor(s) hit an API error[/]");
        AnsiConsole.MarkupLine($"{o.Answers} answers in {o.AnsweringTime.TotalSeconds:0.0} s through the HTTP API.");
    }

    public static string ProfileName(AssessorProfile p) => p == AssessorProfile.BiasedGood ? "biased-good" : p.ToString().ToLowerInvariant();

    public static IReadOnlyDictionary<AssessorProfile, double>? ParseMix(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var shares = new Dictionary<AssessorProfile, double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2 || !Enum.TryParse<AssessorProfile>(kv[0].Replace("-", ""), ignoreCase: true, out var p)
                || !double.TryParse(kv[1], System.Globalization.CultureInfo.InvariantCulture, out var share) || share < 0)
                throw new CommandException($"--mix: '{part}' is not profile=share (profiles: {string.Join(", ", Enum.GetValues<AssessorProfile>().Select(ProfileName))})");
            shares[p] = share;
        }
        if (shares.Values.Sum() <= 0) throw new CommandException("--mix: the shares add up to zero");
        return shares;
    }
}
