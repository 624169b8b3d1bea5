using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;

namespace AyaQC.Cli.Tests.Metrics;

/// <summary><c>ayaqc hter --project</c> against a real server on loopback: the service's report equals the file command's on the same rows.</summary>
public class ProjectHterTests
{
    /// <summary>A running server with a post-editing project: two language pairs, two post-editors, post-edits accepted
    /// (one rejected) by a reviewer, and a lead's keep/drop decisions on the rows.</summary>
    internal sealed record PostEditedProject(string ProjectId, string DatasetId, Dictionary<string, (string Pair, string Translation)> Rows, HashSet<string> Kept);

    internal static async Task<PostEditedProject> CreateAsync(AyaQCClient admin, int rows = 12)
    {
        var jsonl = new StringBuilder();
        var data = new Dictionary<string, (string Pair, string Translation)>();
        for (var i = 0; i < rows; i++)
        {
            var target = i % 3 == 2 ? "yor_Latn" : "swh_Latn";
            var translation = target == "swh_Latn" ? $"Soko linafunguliwa saa {i} asubuhi leo" : $"Ọjà náà ṣí ní agogo {i} òwúrọ̀";
            data[$"r{i:D2}"] = ($"eng_Latn-{target}", translation);
            jsonl.AppendLine(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["id"] = $"r{i:D2}", ["source_lang"] = "eng_Latn", ["target_lang"] = target, ["source"] = $"The market opens at {i} in the morning today.",
                ["translation"] = translation,
            }));
        }
        var ds = await admin.ImportDatasetAsync("hter-" + Guid.NewGuid().ToString("N")[..6], new MemoryStream(Encoding.UTF8.GetBytes(jsonl.ToString())));
        var assessors = (await admin.RegisterAssessorsAsync(new RegisterAssessorsRequest([
            new AssessorRegistration("Amina", ["eng_Latn", "swh_Latn", "yor_Latn"]), new AssessorRegistration("Baraka", ["eng_Latn", "swh_Latn", "yor_Latn"])]))).Assessors;
        var project = await admin.CreateProjectAsync(new CreateProjectRequest("post-edits", ds.Id, "judge+post-edit",
            new PoolRequest(Assessors: assessors.Select(a => a.Id).ToList()), new OverlapRequest(Fixed: 1), ControlRate: 0,
            Suspension: new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: 5));
        await admin.SetProjectStateAsync(project.Id, "open");

        // Each post-editor edits differently: Amina upper-cases one word and changes another, Baraka reorders and adds; every fourth row is left as it was.
        for (var a = 0; a < assessors.Count; a++)
        {
            var me = admin.WithToken(assessors[a].Token!);
            var next = await me.NextInProjectAsync(project.Id);
            for (var n = 0; next.Item is { } item && n < (a == 0 ? rows / 2 : rows); n++) // half each
            {
                var words = item.Translation.Split(' ');
                var edit = item.Position % 4 == 0 ? item.Translation
                    : a == 0 ? string.Join(' ', words.Select((w, k) => k == 1 ? w.ToUpperInvariant() : k == 3 ? w + "ni" : w))
                    : string.Join(' ', words.Skip(2).Concat(words.Take(2))) + " kabisa";
                next = (await me.AnswerInProjectAsync(project.Id, new ProjectAnswerRequest(item.ItemId, edit == item.Translation ? "good" : "bad",
                    edit == item.Translation ? null : "mistranslation", edit))).Next;
            }
        }
        var reviewer = await admin.AddReviewerAsync(new AddReviewerRequest("Reviewer"));
        var pending = await admin.WithToken(reviewer.Token).PendingReviewsAsync(project.Id);
        Assert.True(pending.Count >= rows - 2, $"{pending.Count} post-edits pending");
        for (var i = 0; i < pending.Count; i++) await admin.WithToken(reviewer.Token).ReviewAsync(project.Id, pending[i].Id, accept: i != 3);

        var kept = new HashSet<string>();
        foreach (var (id, i) in data.Keys.Select((id, i) => (id, i)))
        {
            var decision = i % 5 == 1 ? "drop" : i % 5 == 3 ? "review" : "keep";
            await admin.OverrideDecisionAsync(ds.Id, id, decision, "lead's judgement in the test");
            if (decision == "keep") kept.Add(id);
        }
        return new PostEditedProject(project.Id, ds.Id, data, kept);
    }

    [Fact]
    public async Task The_service_report_over_accepted_post_edits_equals_the_file_commands_all_rows_and_kept_rows()
    {
        using var cli = new MetricsCli();
        var key = ApiTokens.NewAdminKey();
        await using var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
        {
            Storage = new StorageOptions { ConnectionString = $"Data Source={cli.PathOf("t.db")}" },
            AdminKey = key,
            LoadShippedSets = false,
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var admin = new AyaQCClient(http, key);
        var p = await CreateAsync(admin);

        var html = cli.PathOf("out/project.html");
        var (code, output, error) = await cli.Run("hter", "--project", p.ProjectId, "--server", server.BaseAddress.ToString(), "--key", key,
            "--output", html, "--top", "3");
        Assert.True(code == 0, error);
        Assert.Contains("kept rows:", output);

        // The same rows as a file: every accepted post-edit in the order they were made, and the kept ones.
        var accepted = await admin.PostEditsAsync(p.ProjectId, "accepted");
        Assert.True(accepted.Count >= 9, $"{accepted.Count} accepted");
        string Line(PostEditResponse e) => JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["id"] = e.RowId, ["language_pair"] = p.Rows[e.RowId].Pair, ["translation"] = p.Rows[e.RowId].Translation,
            ["post_edit"] = e.PostEdit, ["post_editor"] = e.AssessorId!,
        });
        var all = cli.File("all.jsonl", string.Join('\n', accepted.Select(Line)));
        var kept = cli.File("kept.jsonl", string.Join('\n', accepted.Where(e => p.Kept.Contains(e.RowId)).Select(Line)));
        Assert.Equal(0, (await cli.Run("hter", "--input", all, "--output-dir", cli.PathOf("all"), "--top", "3")).Code);
        Assert.Equal(0, (await cli.Run("hter", "--input", kept, "--output-dir", cli.PathOf("kept"), "--top", "3")).Code);

        var service = JsonNode.Parse(File.ReadAllText(cli.PathOf("out/project.json")))!;
        var fromAll = JsonNode.Parse(File.ReadAllText(cli.PathOf("all/hter.json")))!;
        var fromKept = JsonNode.Parse(File.ReadAllText(cli.PathOf("kept/hter.json")))!;
        foreach (var part in new[] { "overall", "by_language_pair", "by_post_editor" })
        {
            Assert.True(JsonNode.DeepEquals(fromAll[part], service["all"]![part]), $"all rows, {part}:\n{fromAll[part]}\n---\n{service["all"]![part]}");
            Assert.True(JsonNode.DeepEquals(fromKept[part], service["kept"]![part]), $"kept rows, {part}:\n{fromKept[part]}\n---\n{service["kept"]![part]}");
        }
        Assert.Equal(accepted.Count, service["all"]!["overall"]!["rows"]!.GetValue<int>()); // the rejected one is not counted
        var keptRows = service["kept"]!["overall"]!["rows"]!.GetValue<int>();
        Assert.True(keptRows > 0 && keptRows < accepted.Count, $"{keptRows} kept");
        Assert.Equal(2, service["all"]!["by_language_pair"]!.AsArray().Count);
        Assert.Equal(2, service["all"]!["by_post_editor"]!.AsArray().Count);
        Assert.StartsWith("hter|nrefs:1|case:lc|tok:tercom", service["signature"]!.GetValue<string>());

        var page = File.ReadAllText(html);
        Assert.Contains("Kept rows vs all", page);
        Assert.Contains("<svg", page);
        Assert.True(File.Exists(cli.PathOf("out/project-charts/kept-histogram.png")));

        // TER options travel to the server and into the signature; an unknown project is refused with exit 1.
        var mixed = await admin.ProjectHterAsync(p.ProjectId, caseSensitive: true);
        Assert.Contains("case:mixed", mixed.Signature);
        Assert.True(mixed.All.Overall.CorpusHter > JsonSerializer.Deserialize<double>(service["all"]!["overall"]!["corpus_hter"]!.ToJsonString()),
            "Amina's upper-cased words count as edits only when case matters");
        Assert.Equal(1, (await cli.Run("hter", "--project", "prj_missing", "--server", server.BaseAddress.ToString(), "--key", key, "--output", cli.PathOf("x.html"))).Code);
        var usage = await cli.Run("hter");
        Assert.True(usage.Code != 0 && usage.Error.Contains("either --input FILE or --project ID"), usage.Error);
    }
}
