using System.CommandLine;
using System.Text.Json;
using AyaQC.Client;
using AyaQC.Contracts;
using Spectre.Console;

namespace AyaQC.Cli.Qualification;

/// <summary><c>ayaqc qualification ...</c>: gold sets, assessors and rounds on a running server, as the vendor (admin key).</summary>
public static class AdminCommands
{
    public static Command Create()
    {
        var q = new Command("qualification", "Manage qualification rounds on a running server (admin key)");
        q.Subcommands.Add(GoldSets());
        q.Subcommands.Add(Assessors());
        q.Subcommands.Add(Rounds());
        return q;
    }


    static Command GoldSets()
    {
        var file = new Argument<FileInfo>("file") { Description = "JSONL gold set" };
        var name = new Option<string>("--name") { Description = "Name of the set", Required = true };
        var batch = new Option<string?>("--batch-id") { Description = "Resending the same batch id does not import twice" };
        var group = new Command("gold-sets", "Gold sets");
        group.Subcommands.Add(ServerConnection.AdminCommand("import", "Import a JSONL gold set (all-or-nothing; problems are listed by line)", async (pr, client, ct) =>
        {
            var set = await client.ImportGoldSetAsync(pr.GetValue(name)!, await File.ReadAllBytesAsync(pr.GetValue(file)!.FullName, ct), pr.GetValue(batch), ct);
            AnsiConsole.MarkupLine($"{(set.Replayed ? "already imported" : "imported")} [bold]{set.Id}[/] {Markup.Escape(set.Name)}: {set.ItemCount} items ({set.GoodCount} good, {set.BadCount} bad)");
            foreach (var w in set.Warnings ?? []) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape($"{w.Field}: {w.Message}")}");
        }, file, name, batch));
        var format = ListOutput.FormatOption();
        group.Subcommands.Add(ServerConnection.AdminCommand("list", "List gold sets", async (pr, client, ct) =>
        {
            var sets = await client.ListGoldSetsAsync(ct);
            ListOutput.Write(ListOutput.Read(pr, format), ["id", "name", "items", "good", "bad", "created"],
                sets.Select(s => new[] { s.Id, s.Name, s.ItemCount.ToString(), s.GoodCount.ToString(), s.BadCount.ToString(), s.CreatedAt.ToString("u") }), sets);
        }, format));
        return group;
    }

    static Command Assessors()
    {
        var names = new Option<string[]>("--name") { Description = "Assessor name (repeatable)", AllowMultipleArgumentsPerToken = false };
        var file = new Option<FileInfo?>("--file") { Description = "Text file with one assessor name per line" };
        var languages = new Option<string[]>("--language") { Description = "NLLB language code the assessors work in (repeatable), e.g. swh_Latn" };
        var batch = new Option<string?>("--batch-id") { Description = "Resending the same batch id does not register twice" };
        var tokensOut = new Option<FileInfo?>("--tokens-out") { Description = "Also write id, name, token as TSV to this file (tokens are shown only once)" };
        var group = new Command("assessors", "Assessors");
        var registerFormat = ListOutput.FormatOption();
        var listFormat = ListOutput.FormatOption();
        group.Subcommands.Add(ServerConnection.AdminCommand("register", "Register assessors (all-or-nothing); prints each one's token once", async (pr, client, ct) =>
        {
            // Where each name came from, so the server's "assessors[i]" problems can be reported by file line.
            var all = (pr.GetValue(names) ?? []).Select((n, i) => (Name: n, From: $"--name #{i + 1}")).ToList();
            if (pr.GetValue(file) is { } f)
                all.AddRange((await File.ReadAllLinesAsync(f.FullName, ct)).Select((l, i) => (Name: l.Trim(), From: $"{f.Name} line {i + 1}")).Where(x => x.Name.Length > 0));
            if (all.Count == 0) throw new CommandException("give at least one --name or a --file of names");
            var langs = pr.GetValue(languages) is { Length: > 0 } l ? l : null;
            RegisterAssessorsResponse reply;
            try
            {
                reply = await client.RegisterAssessorsAsync(new RegisterAssessorsRequest(all.Select(n => new AssessorRegistration(n.Name, langs)).ToList(), pr.GetValue(batch)), ct);
            }
            catch (AyaQCApiException e) when (e.Errors.Count > 0)
            {
                throw new CommandException("nobody was registered:" + string.Concat(e.Errors.Select(p => Environment.NewLine + "  " + Where(p.Field, all.Select(x => x.From).ToList()) + p.Message)));
            }
            ListOutput.Write(ListOutput.Read(pr, registerFormat), ["id", "name", "token"],
                reply.Assessors.Select(a => new[] { a.Id, a.Name, a.Token ?? "(already registered; reissue with `assessors token`)" }), reply);
            if (pr.GetValue(tokensOut) is { } outFile)
                await File.WriteAllLinesAsync(outFile.FullName, reply.Assessors.Select(a => $"{a.Id}\t{a.Name}\t{a.Token}"), ct);
        }, names, file, languages, batch, tokensOut, registerFormat));
        group.Subcommands.Add(ServerConnection.AdminCommand("list", "List assessors", async (pr, client, ct) =>
        {
            var assessors = await client.ListAssessorsAsync(ct);
            ListOutput.Write(ListOutput.Read(pr, listFormat), ["id", "name", "languages", "registered"],
                assessors.Select(a => new[] { a.Id, a.Name, string.Join(",", a.Languages), a.CreatedAt.ToString("u") }), assessors);
        }, listFormat));
        var id = new Argument<string>("assessor-id");
        group.Subcommands.Add(ServerConnection.AdminCommand("token", "Issue a new token for an assessor (the old one stops working)", async (pr, client, ct) =>
        {
            var t = await client.ReissueTokenAsync(pr.GetValue(id)!, ct);
            AnsiConsole.WriteLine($"{t.AssessorId}\t{t.Token}");
        }, id));
        return group;
    }

    static string Where(string field, IReadOnlyList<string> sources)
    {
        var m = System.Text.RegularExpressions.Regex.Match(field, @"^assessors\[(\d+)\]");
        return m.Success && int.Parse(m.Groups[1].Value) is var i && i < sources.Count ? $"{sources[i]} ({field}): " : $"{field}: ";
    }

    static Command Rounds()
    {
        var group = new Command("rounds", "Qualification rounds");

        var name = new Option<string>("--name") { Description = "Round name", Required = true };
        var set = new Option<string>("--gold-set") { Description = "Gold set id or name", Required = true };
        var items = new Option<int>("--items") { Description = "Items drawn per assessor", DefaultValueFactory = _ => 40 };
        var assessorIds = new Option<string[]>("--assessor") { Description = "Assessor id (repeatable; default: every registered assessor)" };
        var expires = new Option<int?>("--expires-in-minutes") { Description = "Round expires after this many minutes" };
        var seed = new Option<int?>("--seed") { Description = "Seed for the item draws (reproducible rounds)" };
        var policy = new PolicyOptions();
        var open = ServerConnection.AdminCommand("open", "Open a round: each assessor gets a shuffled, balanced draw of the gold set", async (pr, client, ct) =>
        {
            var wanted = pr.GetValue(set)!;
            var sets = await client.ListGoldSetsAsync(ct);
            var goldSet = sets.FirstOrDefault(s => s.Id == wanted) ?? sets.FirstOrDefault(s => s.Name == wanted)
                ?? throw new CommandException($"no gold set with id or name '{wanted}' (see `ayaqc qualification gold-sets list`)");
            var ids = pr.GetValue(assessorIds) is { Length: > 0 } a ? a : null;
            var round = await client.OpenRoundAsync(new OpenRoundRequest(pr.GetValue(name)!, goldSet.Id, pr.GetValue(items), ids,
                pr.GetValue(expires), policy.Read(pr), pr.GetValue(seed)), ct);
            AnsiConsole.MarkupLine($"opened [bold]{round.Id}[/] with {round.Participants} assessors × {round.ItemsPerAssessor} items; {Markup.Escape(round.Signature)}");
        }, [name, set, items, assessorIds, expires, seed, .. policy.All]);
        group.Subcommands.Add(open);

        var roundsFormat = ListOutput.FormatOption();
        group.Subcommands.Add(ServerConnection.AdminCommand("list", "List rounds", async (pr, client, ct) =>
        {
            var rounds = await client.ListRoundsAsync(ct);
            ListOutput.Write(ListOutput.Read(pr, roundsFormat), ["id", "name", "status", "assessors", "items each", "created", "expires"],
                rounds.Select(r => new[] { r.Id, r.Name, r.Status, r.Participants.ToString(), r.ItemsPerAssessor.ToString(), r.CreatedAt.ToString("u"), r.ExpiresAt?.ToString("u") ?? "" }), rounds);
        }, roundsFormat));

        var closeId = new Argument<string>("round-id");
        group.Subcommands.Add(ServerConnection.AdminCommand("close", "Close a round (no more answers)", async (pr, client, ct) =>
        {
            var r = await client.CloseRoundAsync(pr.GetValue(closeId)!, ct);
            AnsiConsole.MarkupLine($"{r.Id} is {r.Status}");
        }, closeId));

        var resultsId = new Argument<string>("round-id");
        var topK = new Option<int?>("--top-k") { Description = "Also select the k best assessors (among those not failed)" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON" };
        group.Subcommands.Add(ServerConnection.AdminCommand("results", "Who passed, failed or is undecided, with the evidence", async (pr, client, ct) =>
        {
            var results = await client.GetResultsAsync(pr.GetValue(resultsId)!, pr.GetValue(topK), ct);
            if (pr.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            else
                AnsiConsole.Write(ResultsTable.PerAssessor(results));
        }, resultsId, topK, json));
        return group;
    }
}

/// <summary>The decision-rule options of a round; unset ones keep AyaQC.Core's defaults.</summary>
public sealed class PolicyOptions
{
    readonly Option<double?> _pass = new("--pass-threshold") { Description = "Pass when the Wilson 95% lower bound reaches this (default 0.70)" };
    readonly Option<double?> _badRecall = new("--min-bad-recall") { Description = "Share of bad items an assessor must catch to pass (default 0.60)" };
    readonly Option<double?> _p0 = new("--sprt-p0") { Description = "Sequential test: accuracy that is not good enough (default 0.60)" };
    readonly Option<double?> _p1 = new("--sprt-p1") { Description = "Sequential test: accuracy that is good (default 0.85)" };
    readonly Option<double?> _alpha = new("--sprt-alpha") { Description = "Sequential test: false-pass rate (default 0.05)" };
    readonly Option<double?> _beta = new("--sprt-beta") { Description = "Sequential test: false-fail rate (default 0.05)" };
    readonly Option<int?> _min = new("--min-items") { Description = "Answers needed before an early decision (default 8)" };

    public Option[] All => [_pass, _badRecall, _p0, _p1, _alpha, _beta, _min];

    public RoundPolicy Read(ParseResult pr) => new(pr.GetValue(_pass), pr.GetValue(_p0), pr.GetValue(_p1), pr.GetValue(_alpha),
        pr.GetValue(_beta), pr.GetValue(_min), null, pr.GetValue(_badRecall));
}
