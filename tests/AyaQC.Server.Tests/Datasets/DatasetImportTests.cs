using System.Text;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Datasets;

/// <summary>Datasets over the real HTTP API on SQLite and PostgreSQL: streamed import of JSONL and CSV, all-or-nothing
/// with every problem named by line and field, idempotent by batch id, admin only, rows paged by cursor and filtered.</summary>
public class DatasetImportTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    public static string Jsonl(int n, int labelEvery = 3) => string.Concat(Enumerable.Range(1, n).Select(i =>
        $$"""{"id":"r{{i}}","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"Sentence {{i}} about the market.","translation":"Sentensi {{i}} kuhusu soko.","mt_score":0.{{i % 10}},"vendor":"v{{i % 2}}","tags":["a"]{{(i % labelEvery == 0 ? ",\"label\":\"good\"" : "")}}}""" + "\n"));

    static Stream Body(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    [Theory, MemberData(nameof(Providers))]
    public async Task Jsonl_rows_keep_signals_metadata_and_labels_and_page_by_cursor(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var ds = await api.Admin.ImportDatasetAsync("november", Body(Jsonl(1203)));
        Assert.Equal(1203, ds.Rows);
        Assert.Equal(401, ds.LabelledRows);
        Assert.Equal(["mt_score"], ds.SignalColumns);
        Assert.Equal(["tags", "vendor"], ds.MetadataColumns);
        Assert.Equal(ds.Id, Assert.Single(await api.Admin.ListDatasetsAsync()).Id);

        var seen = new List<DatasetRowResponse>();
        string? cursor = null;
        do
        {
            var page = await api.Admin.GetDatasetRowsAsync(ds.Id, cursor, limit: 500);
            seen.AddRange(page.Rows);
            cursor = page.NextCursor;
        } while (cursor is not null);
        Assert.Equal(Enumerable.Range(1, 1203).Select(i => $"r{i}"), seen.Select(r => r.Id));
        var r7 = seen[6];
        Assert.Equal(7, r7.Line);
        Assert.Equal(0.7, r7.Signals!["mt_score"]);
        Assert.Equal("v1", r7.Metadata!.Value.GetProperty("vendor").GetString());
        Assert.Equal("a", r7.Metadata!.Value.GetProperty("tags")[0].GetString());
        Assert.Null(r7.Result);

        var labelled = await api.Admin.GetDatasetRowsAsync(ds.Id, limit: 1000, hasLabel: true);
        Assert.Equal(401, labelled.Rows.Count);
        Assert.All(labelled.Rows, r => Assert.Equal("good", r.Label));
        Assert.Equal(802, (await api.Admin.GetDatasetRowsAsync(ds.Id, limit: 1000, hasLabel: false)).Rows.Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Csv_with_quoted_fields_spanning_lines_imports(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var csv = "id,source,translation,label,qe,note\r\n" +
                  "a1,\"Hello, world\",\"Habari, dunia\",good,0.9,\"said \"\"hi\"\"\"\r\n" +
                  "a2,\"Two\nlines\",\"Mistari\nmiwili\",,,\r\n" +
                  "a3,Heartbreak Hotel,Hoteli ya Moyo,bad,0.2,\r\n";
        var ds = await api.Admin.ImportDatasetAsync("csv", Body(csv), format: "csv", sourceLang: "eng_Latn", targetLang: "swh_Latn", signals: "qe");
        Assert.Equal(3, ds.Rows);
        Assert.Equal(["qe"], ds.SignalColumns);
        var rows = (await api.Admin.GetDatasetRowsAsync(ds.Id)).Rows;
        Assert.Equal("Hello, world", rows[0].Source);
        Assert.Equal("said \"hi\"", rows[0].Metadata!.Value.GetProperty("note").GetString());
        Assert.Equal("Two\nlines", rows[1].Source);
        Assert.Null(rows[1].Label);
        Assert.Null(rows[1].Signals);
        Assert.Equal((3, 6), (rows[1].Line, rows[2].Line)); // a record is named by the line it starts on
        Assert.Equal(0.2, rows[2].Signals!["qe"]);
        Assert.Equal("eng_Latn", rows[2].SourceLang);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_bad_file_is_refused_whole_naming_every_problem_by_line_and_field(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var good = Jsonl(1500).Split('\n');
        var lines = good.Take(1500).ToList();
        lines[9] = lines[9].Replace("\"label\":\"good\"", "\"label\":\"great\"");        // line 10 (i=10 not labelled: add one)
        lines[9] = lines[9].Replace("\"tags\":[\"a\"]", "\"tags\":[\"a\"],\"label\":\"great\"");
        lines[699] = lines[699].Replace("\"translation\":", "\"translation_\":");           // line 700: translation missing
        lines[1199] = lines[0];                                                             // line 1200: id r1 again
        lines[1299] = lines[1299].Replace("0.0", "\"high\"").Replace("0.", "\"x");          // line 1300: signal not a number
        lines[1399] = "{\"id\": 5,";                                                        // line 1401: broken JSON
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n").ToList();
        bytes.AddRange("{\"id\":\"z\",\"source\":\"\u00e9\"}\n"u8.ToArray());
        var raw = bytes.ToArray();
        var invalidAt = Array.LastIndexOf(raw, (byte)0xA9);
        raw[invalidAt] = 0x28;                                                              // line 1501: invalid UTF-8

        var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.ImportDatasetAsync("bad", new MemoryStream(raw)));
        Assert.Equal(400, e.Status);
        Assert.Contains(e.Errors, p => p.Line == 10 && p.Field == "label");
        Assert.Contains(e.Errors, p => p.Line == 700 && p.Field == "translation");
        Assert.Contains(e.Errors, p => p.Line == 1300 && p.Field == "mt_score");
        Assert.Contains(e.Errors, p => p.Line == 1400 && p.Field == "(line)");
        Assert.Contains(e.Errors, p => p.Line == 1501 && p.Message.Contains("UTF-8"));
        Assert.DoesNotContain(e.Errors, p => p.Message.Contains("System."));
        Assert.Empty(await api.Admin.ListDatasetsAsync());

        // A duplicate id alone: found by the database while rows stream in, named with both lines.
        var dup = Jsonl(900).Split('\n').Take(900).ToList();
        dup[849] = dup[2];
        var e2 = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.ImportDatasetAsync("dup", Body(string.Join("\n", dup))));
        Assert.True(e2.Errors.Count == 1, e2.Message);
        var p850 = e2.Errors[0];
        Assert.Equal((850, "id"), (p850.Line, p850.Field));
        Assert.Contains("repeats line 3", p850.Message);
        Assert.Empty(await api.Admin.ListDatasetsAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Csv_problems_name_line_and_field(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var e = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.ImportDatasetAsync("csv",
            Body("id,source,translation\nx,a,b\n"), format: "csv"));
        Assert.Contains(e.Errors, p => p.Line == 1 && p.Field == "source_lang");
        var e2 = await Assert.ThrowsAsync<AyaQCApiException>(() => api.Admin.ImportDatasetAsync("csv",
            Body("id,source_lang,target_lang,source,translation\nx,eng_Latn,swh_Latn,a,b\ny,eng_Latn,swahili,a,b\nz,eng_Latn,swh_Latn,\"open\n"), format: "csv"));
        Assert.Contains(e2.Errors, p => p.Line == 3 && p.Field == "target_lang");
        Assert.Contains(e2.Errors, p => p.Line == 4 && p.Message.Contains("never closed"));
        Assert.Empty(await api.Admin.ListDatasetsAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Imports_are_idempotent_by_batch_id_and_admin_only(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider);
        var first = await api.Admin.ImportDatasetAsync("a", Body(Jsonl(40)), batchId: "upload-7");
        var again = await api.Admin.ImportDatasetAsync("a", Body(Jsonl(40)), batchId: "upload-7");
        Assert.Equal(first.Id, again.Id);
        Assert.True(again.Replayed);
        Assert.Single(await api.Admin.ListDatasetsAsync());

        var (_, assessors, _) = await api.OpenRoundAsync(assessors: 1);
        var asAssessor = api.As(assessors[0].Token!);
        Assert.Equal(403, (await Assert.ThrowsAsync<AyaQCApiException>(() => asAssessor.ListDatasetsAsync())).Status);
        Assert.Equal(403, (await Assert.ThrowsAsync<AyaQCApiException>(() => asAssessor.ImportDatasetAsync("x", Body(Jsonl(2))))).Status);
        Assert.Equal(401, (await Assert.ThrowsAsync<AyaQCApiException>(() => new AyaQCClient(api.Http).GetDatasetRowsAsync(first.Id))).Status);
    }
}
