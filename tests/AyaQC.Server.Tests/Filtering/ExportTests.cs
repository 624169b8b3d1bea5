using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Server.Tests.Filtering;

/// <summary>Overrides (audited), pipeline tokens and the streamed, cursor-resumable export, on SQLite and PostgreSQL.</summary>
public class ExportTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    /// <summary>n rows; every 3rd carries a post-edit, rows carry a user_id in their metadata, one text holds a comma and a quote.</summary>
    public static string Rows(int n) => string.Concat(Enumerable.Range(1, n).Select(i =>
    {
        var postEdit = i % 3 == 0 ? $",\"post_edit\":\"Sentensi {i} iliyosahihishwa.\"" : "";
        var text = i == 2 ? "Soko, \\\"kubwa\\\" sana." : $"Sentensi ya {i} kuhusu soko.";
        return $$"""{"id":"r{{i}}","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"Sentence {{i}} about the market.","translation":"{{text}}","user_id":"u{{i % 4}}"{{postEdit}}}""" + "\n";
    }));

    static async Task<string> AddLeadAsync(ApiServer api, string name)
    {
        var key = ApiTokens.NewAdminKey();
        await api.Server.Services.GetRequiredService<IQualificationStore>().AddAdminKeyAsync(name, ApiTokens.Hash(key));
        return key;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_pipeline_pulls_the_kept_rows_in_file_order_and_resumes_from_a_cursor(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(Rows(30))));
        var lead = api.As(await AddLeadAsync(api, "Amina (lead)"));
        // keep every row except r5 (drop) and r7 (review); r2 first set to drop, then back to keep
        for (var i = 1; i <= 30; i++)
            await lead.OverrideDecisionAsync(ds.Id, $"r{i}", i == 5 || i == 2 ? "drop" : i == 7 ? "review" : "keep", $"checked row {i} by hand");
        var r2 = await lead.OverrideDecisionAsync(ds.Id, "r2", "keep", "the quote marks are right after all");
        Assert.Equal("keep", r2.Decision);
        Assert.True(r2.Overridden);
        Assert.Equal(2, r2.Overrides!.Count);
        Assert.Equal(("drop", "Amina (lead)", "the quote marks are right after all"), (r2.Overrides[1].PreviousDecision, r2.Overrides[1].Lead, r2.Overrides[1].Reason));
        Assert.True(r2.Overrides[1].At >= r2.Overrides[0].At);

        var token = await api.Admin.CreatePipelineTokenAsync("fine-tuning nightly");
        Assert.StartsWith(ApiTokens.PipelinePrefix, token.Token);
        var pipeline = api.As(token.Token!);
        var kept = await ToListAsync(pipeline.ExportAsync(ds.Id));
        Assert.Equal(Enumerable.Range(1, 30).Where(i => i is not (5 or 7)).Select(i => $"r{i}"), kept.Select(r => r.Id));
        var r3 = kept.Single(r => r.Id == "r3");
        Assert.Equal(("Sentence 3 about the market.", "Sentensi 3 iliyosahihishwa.", "Swahili", "swh", "post-edited", "u3", "keep", true),
            (r3.Inputs, r3.Targets, r3.Language, r3.LanguageCode, r3.AnnotationType, r3.UserId, r3.Decision, r3.Overridden));
        Assert.Equal("translated", kept.Single(r => r.Id == "r1").AnnotationType);
        Assert.Equal(["r5"], (await ToListAsync(pipeline.ExportAsync(ds.Id, "drop"))).Select(r => r.Id));
        Assert.Equal(30, (await ToListAsync(pipeline.ExportAsync(ds.Id, "all"))).Count);

        // Resume: a first page of 10, then from its last cursor: together exactly the whole export, in order.
        var first = await ToListAsync(pipeline.ExportAsync(ds.Id, limit: 10));
        var rest = await ToListAsync(pipeline.ExportAsync(ds.Id, cursor: first[^1].Cursor));
        Assert.Equal(kept.Select(r => r.Id), first.Concat(rest).Select(r => r.Id));

        // CSV through the raw route: the header, one line per kept row, quoting kept intact.
        using var csv = new MemoryStream();
        await pipeline.ExportToAsync(ds.Id, csv, format: "csv");
        var lines = Encoding.UTF8.GetString(csv.ToArray()).TrimEnd('\n').Split('\n');
        Assert.Equal(Apis.ExportApi.CsvHeader, lines[0]);
        Assert.Equal(kept.Count, lines.Length - 1);
        Assert.StartsWith("r2,Sentence 2 about the market.,\"Soko, \"\"kubwa\"\" sana.\",Swahili,swh,translated,u2,keep,true,", lines[2]);

        // The pipeline token reads exports and nothing else; an assessor may not export; a revoked token stops working.
        await AssertStatus(403, () => pipeline.ListDatasetsAsync());
        await AssertStatus(403, () => pipeline.OverrideDecisionAsync(ds.Id, "r1", "drop", "not allowed"));
        await AssertStatus(403, () => pipeline.ListPipelineTokensAsync());
        var (_, assessors, _) = await api.OpenRoundAsync(assessors: 1);
        await AssertStatus(403, () => ToListAsync(api.As(assessors[0].Token!).ExportAsync(ds.Id)));
        await api.Admin.RevokePipelineTokenAsync(token.Id);
        await AssertStatus(401, () => ToListAsync(pipeline.ExportAsync(ds.Id)));
        Assert.Equal("configured", (await api.Admin.ListPipelineTokensAsync()).Single().CreatedBy);
    }

    /// <summary>Texts with quotes, escapes, line breaks, HTML characters, accents, CJK and emoji, and metadata with an
    /// escaped user_id and a numeric or missing annotation_type, come out of the real database exactly as imported, in
    /// JSON Lines and CSV; a cursor anywhere resumes with exactly the rest.</summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task Special_characters_and_metadata_round_trip_and_any_cursor_resumes_with_the_rest(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var texts = new[] { "Sema \"habari\", rafiki", "mstari\nmwingine\tna tab \\ backslash", "<b>& 'hotel'</b>", "caf\u00e9 \u4e2d\u6587 \ud83d\ude00",
                            "", "plain" };
        var lines = texts.Select((t, i) => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = $"s{i}", ["source_lang"] = "eng_Latn", ["target_lang"] = i == 5 ? "yor_Latn" : "swh_Latn", ["source"] = $"Source {t}",
            ["translation"] = t.Length == 0 ? "x" : t, ["post_edit"] = i == 1 ? t + " (sahihi)" : null,
            ["user_id"] = i == 2 ? (object)42 : $"u\"{t}", ["annotation_type"] = i == 3 ? "re-annotations" : null,
        }));
        var ds = await api.Admin.ImportDatasetAsync("special", new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n")));
        var all = await ToListAsync(api.Admin.ExportAsync(ds.Id, "all"));
        Assert.Equal(texts.Select((_, i) => $"s{i}"), all.Select(r => r.Id));
        for (var i = 0; i < texts.Length; i++)
        {
            var t = texts[i];
            Assert.Equal(($"Source {t}", i == 1 ? t + " (sahihi)" : t.Length == 0 ? "x" : t, i == 2 ? "42" : $"u\"{t}"), (all[i].Inputs, all[i].Targets, all[i].UserId));
            Assert.Equal(i == 3 ? "re-annotations" : i == 1 ? "post-edited" : "translated", all[i].AnnotationType);
            Assert.Equal(i == 5 ? ("Yoruba", "yor") : ("Swahili", "swh"), (all[i].Language, all[i].LanguageCode));
            Assert.Null(all[i].Decision);
            var rest = await ToListAsync(api.Admin.ExportAsync(ds.Id, "all", cursor: all[i].Cursor));
            Assert.Equal(all.Skip(i + 1).Select(r => r.Id), rest.Select(r => r.Id));
        }
        using var csv = new MemoryStream();
        await api.Admin.ExportToAsync(ds.Id, csv, format: "csv", decision: "all");
        var text = Encoding.UTF8.GetString(csv.ToArray());
        Assert.Contains("s0,\"Source Sema \"\"habari\"\", rafiki\",\"Sema \"\"habari\"\", rafiki\",Swahili,swh,translated,\"u\"\"Sema \"\"habari\"\", rafiki\",", text);
        Assert.Contains("\"mstari\nmwingine\tna tab \\ backslash (sahihi)\"", text);
    }

    [Fact]
    public async Task Bad_export_and_override_requests_are_problems_naming_the_field()
    {
        await using var api = await ApiServer.StartAsync(TestDatabases.Sqlite);
        var ds = await api.Admin.ImportDatasetAsync("rows", new MemoryStream(Encoding.UTF8.GetBytes(Rows(3))));
        foreach (var (query, field) in new[] { ("format=xml", "format"), ("decision=maybe", "decision"), ("cursor=abc", "cursor"), ("cursor=-1", "cursor"), ("limit=0", "limit") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/datasets/{ds.Id}/export?{query}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.AdminKey);
            using var response = await api.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains($"\"field\":\"{field}\"", body);
            Assert.DoesNotContain("System.", body);
        }
        var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.OverrideDecisionAsync(ds.Id, "r1", "maybe", "why not"));
        Assert.Equal((400, "decision"), (e.Status, e.Errors.Single().Field));
        e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.OverrideDecisionAsync(ds.Id, "r1", "keep", " "));
        Assert.Equal((400, "reason"), (e.Status, e.Errors.Single().Field));
        Assert.Equal(404, (await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.OverrideDecisionAsync(ds.Id, "r99", "keep", "no such row"))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<AyaQCApiException>(() => ToListAsync(api.Admin.ExportAsync("ds_missing")))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.GetDecisionAsync(ds.Id, "r1"))).Status);
        Assert.Empty(await ToListAsync(api.Admin.ExportAsync(ds.Id))); // nothing decided yet: nothing kept
        Assert.Equal(3, (await ToListAsync(api.Admin.ExportAsync(ds.Id, "all"))).Count(r => r.Decision is null));
    }

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items) list.Add(item);
        return list;
    }

    static async Task AssertStatus(int status, Func<Task> call) =>
        Assert.Equal(status, (await Assert.ThrowsAsync<AyaQCApiException>(call)).Status);
}
