using System.Text;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Server.Tests.Support;
using AyaQC.Tests.Shared;

namespace AyaQC.Server.Tests.Api;

/// <summary>Bad input is refused naming the line or field, and nothing of a refused import is stored.</summary>
public class ImportTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static string GoodLines(int n) => SyntheticGoldSet.Jsonl(SyntheticGoldSet.Items(n));

    public static TheoryData<string, string, int, string> BrokenSets => new()
    {
        // provider is added by the test; here: case name, body, expected line, expected field
        { "malformed json", GoodLines(6) + "{\"id\": \"x\", \n", 7, "(line)" },
        { "unknown language", GoodLines(4) + GoodLines(6).Split('\n')[5].Replace("swh_Latn", "swa_Latn") + "\n", 5, "target_lang" },
        { "empty translation", GoodLines(3) + """{"id":"e1","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"Hi","translation":"  ","label":"good"}""" + "\n", 4, "translation" },
        { "too long", GoodLines(2) + $$"""{"id":"L1","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"{{new string('a', 101 * 1024)}}","translation":"Habari","label":"good"}""" + "\n", 3, "source" },
        { "duplicate id", GoodLines(6) + GoodLines(1), 7, "id" },
    };

    [Theory, MemberData(nameof(BrokenSets))]
    public async Task A_broken_gold_set_is_refused_by_line_and_field(string name, string body, int line, string field)
    {
        foreach (var provider in TestDatabases.ProviderNames)
        {
            await using var api = await ApiServer.StartAsync(provider);
            var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.ImportGoldSetAsync(name, body));
            Assert.Equal(400, e.Status);
            Assert.Contains(e.Errors, p => p.Line == line && p.Field == field);
            Assert.Empty(await api.Admin.ListGoldSetsAsync());
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Invalid_utf8_is_refused_naming_its_line(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var bytes = Encoding.UTF8.GetBytes(GoodLines(4)).Concat(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}', (byte)'\n' }).ToArray();
        var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.ImportGoldSetAsync("utf8", bytes));
        Assert.Contains(e.Errors, p => p.Line == 5 && p.Message.Contains("UTF-8"));
        Assert.Empty(await api.Admin.ListGoldSetsAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Imports_are_idempotent_by_batch_id(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var first = await api.Admin.ImportGoldSetAsync("set-a", GoodLines(20), batchId: "upload-1");
        var again = await api.Admin.ImportGoldSetAsync("set-a", GoodLines(20), batchId: "upload-1");
        Assert.Equal(first.Id, again.Id);
        Assert.True(again.Replayed);
        Assert.Single(await api.Admin.ListGoldSetsAsync());
        var clash = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.ImportGoldSetAsync("set-a", GoodLines(20)));
        Assert.Equal(409, clash.Status);

        var people = new RegisterAssessorsRequest([new("Amina", ["swh_Latn"]), new("Baraka")], BatchId: "crowd-1");
        var r1 = await api.Admin.RegisterAssessorsAsync(people);
        var r2 = await api.Admin.RegisterAssessorsAsync(people);
        Assert.All(r1.Assessors, a => Assert.StartsWith(ApiTokens.AssessorPrefix, a.Token));
        Assert.True(r2.Replayed);
        Assert.All(r2.Assessors, a => Assert.Null(a.Token)); // tokens are never stored, so never shown twice
        Assert.Equal(r1.Assessors.Select(a => a.Id).Order(), r2.Assessors.Select(a => a.Id).Order());
        Assert.Equal(2, (await api.Admin.ListAssessorsAsync()).Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_bad_assessor_in_a_batch_registers_nobody(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.RegisterAssessorsAsync(
            new RegisterAssessorsRequest([new("Amina", ["swh_Latn"]), new(" "), new("Chausiku", ["kiswahili"])])));
        Assert.Equal(400, e.Status);
        Assert.Contains(e.Errors, p => p.Field == "assessors[1].name");
        Assert.Contains(e.Errors, p => p.Field == "assessors[2].languages[0]");
        Assert.Empty(await api.Admin.ListAssessorsAsync());
    }

    [Fact]
    public async Task The_shipped_sets_load_once_at_first_start_and_a_key_is_generated()
    {
        var storage = await TestDatabases.CreateAsync(TestDatabases.Sqlite);
        var sets = Directory.CreateTempSubdirectory("ayaqc-sets-").FullName;
        Directory.CreateDirectory(Path.Combine(sets, "en-sw"));
        await File.WriteAllTextAsync(Path.Combine(sets, "en-sw", "part1.jsonl"), SyntheticGoldSet.Jsonl(SyntheticGoldSet.Items(20)));
        await File.WriteAllTextAsync(Path.Combine(sets, "en-sw", "part2.jsonl"), SyntheticGoldSet.Jsonl(SyntheticGoldSet.Items(40).Skip(20)));
        var keyFile = Path.Combine(sets, "admin-key.txt");
        var options = new EmbeddedServer.Options { Storage = storage, SetsPath = sets, AdminKeyFile = keyFile };

        string key;
        await using (var server = await EmbeddedServer.StartAsync(options))
        {
            key = (await File.ReadAllTextAsync(keyFile)).Trim();
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var set = Assert.Single(await new AyaQCClient(http, key).ListGoldSetsAsync());
            Assert.Equal(("en-sw", 40), (set.Name, set.ItemCount));
        }
        await using (var again = await EmbeddedServer.StartAsync(options))
        {
            using var http = new HttpClient { BaseAddress = again.BaseAddress };
            Assert.Single(await new AyaQCClient(http, key).ListGoldSetsAsync()); // same files: not loaded twice
            Assert.Equal(key, (await File.ReadAllTextAsync(keyFile)).Trim()); // the key is made only once
        }
        Directory.Delete(sets, recursive: true);
    }

    [Fact]
    public void The_shipped_en_sw_set_is_valid_for_import()
    {
        var folder = RepoPaths.InRepo("qualification-sets", "en-sw");
        var parsed = Qualification.GoldSetFile.Parse(ShippedSets.Concatenate(Directory.GetFiles(folder, "*.jsonl").Order()));
        Assert.True(parsed.Ok, string.Join("\n", parsed.Errors.Take(10)));
        Assert.True(parsed.Items.Count >= 300, $"only {parsed.Items.Count} items");
    }
}
