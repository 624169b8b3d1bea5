using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Assessment;

/// <summary>A dataset, a gold set and assessors on a running server, ready for a project.</summary>
public sealed record ProjectWorld(string DatasetId, string GoldSetId, List<RegisteredAssessor> Assessors, IReadOnlyList<SyntheticRow> Rows);

public sealed record SyntheticRow(string Id, string Source, string Translation, bool Good);

public static class ProjectSetup
{
    public static IReadOnlyList<SyntheticRow> Rows(int n, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(i => new SyntheticRow($"row-{i:D4}", $"The market opens at {i} o'clock.",
            $"Soko linafunguliwa saa {i}.", random.NextDouble() < 0.6)).ToList();
    }

    /// <summary>Imports rows as a dataset through the datasets API (JSONL) and returns its id.</summary>
    public static async Task<string> ImportDatasetAsync(ApiServer api, IReadOnlyList<SyntheticRow> rows)
    {
        var jsonl = new StringBuilder();
        foreach (var r in rows)
            jsonl.AppendLine(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["id"] = r.Id, ["source_lang"] = "eng_Latn", ["target_lang"] = "swh_Latn", ["source"] = r.Source, ["translation"] = r.Translation,
            }));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/datasets?name=ds-{Guid.NewGuid():N}&format=jsonl")
        {
            Content = new StringContent(jsonl.ToString(), Encoding.UTF8, "application/x-ndjson"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.AdminKey);
        var response = await api.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"dataset import: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<ProjectWorld> CreateAsync(ApiServer api, int rows = 30, int assessors = 4)
    {
        var data = Rows(rows);
        var datasetId = await ImportDatasetAsync(api, data);
        var set = await api.Admin.ImportGoldSetAsync("gold-" + Guid.NewGuid().ToString("N")[..6], SyntheticGoldSet.Jsonl(SyntheticGoldSet.Items()));
        var registered = await api.Admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
            Enumerable.Range(1, assessors).Select(i => new AssessorRegistration($"Assessor {i}", ["swh_Latn", "eng_Latn"])).ToList()));
        return new ProjectWorld(datasetId, set.Id, registered.Assessors.ToList(), data);
    }
}
