using System.Text;
using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Server.Tests.Assessment;
using AyaQC.Server.Tests.Datasets;
using AyaQC.Server.Tests.Pages;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Filtering;

/// <summary>
/// A project's control items as training labels: every control item its assessors answered becomes a training-only
/// example with its gold label and its crowd features; the card counts them per source, its held-out figures stay over
/// dataset rows, and no control item gets a decision or reaches the export. On SQLite and PostgreSQL.
/// </summary>
public class ControlLabelsTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    const int Rows = 48;

    [Theory, MemberData(nameof(Providers))]
    public async Task Answered_control_items_join_training_with_their_gold_label_and_never_get_a_decision_or_an_export_line(string provider)
    {
        await using var api = await ApiServer.StartAsync(provider, settings: FilterJobTests.Settings());
        var (rowsJsonl, _, truth) = FilterJobTests.Data(Rows);
        var ds = await api.Admin.ImportDatasetAsync("with-controls", new MemoryStream(Encoding.UTF8.GetBytes(rowsJsonl)), signals: "mt_score");
        var gold = SyntheticGoldSet.Items().ToDictionary(i => i.Source);
        var set = await api.Admin.ImportGoldSetAsync("gold-controls", SyntheticGoldSet.Jsonl(gold.Values));
        var assessors = (await api.Admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
            Enumerable.Range(1, 4).Select(i => new AssessorRegistration($"Assessor {i}", ["eng_Latn", "swh_Latn"])).ToList()))).Assessors;
        var project = await api.Admin.CreateProjectAsync(new CreateProjectRequest("controls", ds.Id, "judge",
            new PoolRequest(Assessors: assessors.Select(a => a.Id).ToList()), new OverlapRequest(Fixed: 2), set.Id, ControlRate: 0.3,
            Suspension: new SuspensionRequest(Speed: new SignalRequest(false, 1, 0)), Seed: 9));
        await api.Admin.SetProjectStateAsync(project.Id, "open");

        // Controls are answered right (nobody is suspended); on dataset rows assessor i errs on every (i+3)-th row.
        var answered = new Dictionary<string, bool>(StringComparer.Ordinal); // gold source → gold label good
        for (var i = 0; i < assessors.Count; i++)
        {
            var n = 0;
            await ProjectFlowTests.WorkAsync(api.As(assessors[i].Token!), project.Id, item =>
            {
                if (gold.TryGetValue(item.Source, out var g))
                {
                    answered[item.Source] = g.Label == AyaQC.Core.Qualification.Verdict.Good;
                    return answered[item.Source] ? "good" : "bad";
                }
                var row = int.Parse(item.Source.Split(' ')[1].TrimEnd('.'), System.Globalization.CultureInfo.InvariantCulture);
                var right = ++n % (i + 3) != 0;
                return truth[row] == right ? "good" : "bad";
            });
        }
        Assert.True(answered.Count >= 6, $"only {answered.Count} control items were served");
        Assert.Contains(answered.Values, g => g);
        Assert.Contains(answered.Values, g => !g);
        Assert.Equal(0, (await api.Admin.GetProjectAsync(project.Id)).SuspendedAssessors);

        var started = await api.Admin.StartFilterJobAsync(ds.Id, new StartFilterJobRequest(ProjectId: project.Id, Folds: 3, Iterations: 20, ChunkSize: 20));
        var job = await BackTranslationJobTests.WaitAsync(api.Admin, started.Id, TimeSpan.FromSeconds(180));
        Assert.True(job.State == "succeeded", $"job {job.State}: {job.Error}");
        Assert.Contains("+control(gold,answered,train-only)", job.Signature);

        var card = await api.Admin.GetModelCardAsync(job.Id);
        var sources = card.GetProperty("labelSources").EnumerateArray()
            .ToDictionary(s => s.GetProperty("source").GetString()!, s => (s.GetProperty("good").GetInt32(), s.GetProperty("bad").GetInt32()));
        Assert.Equal((answered.Values.Count(g => g), answered.Values.Count(g => !g)), sources["control"]);
        Assert.Equal(answered.Count, card.GetProperty("trainingOnlyRows").GetInt32());
        var datasetLabels = Rows * 3 / 4;
        Assert.Equal((truth.Take(datasetLabels).Count(t => t), truth.Take(datasetLabels).Count(t => !t)), sources["dataset"]);
        Assert.Equal(datasetLabels, card.GetProperty("labelledRows").GetInt32());
        foreach (var m in new[] { "heldOut", "treesHeldOut", "baselineHeldOut" }) Assert.Equal(datasetLabels, card.GetProperty(m).GetProperty("rows").GetInt32());
        Assert.Contains("control items", card.GetProperty("heldOutScope").GetString());

        // No control item is decided or exported: the decisions and the export hold exactly the dataset's rows.
        var datasetIds = Enumerable.Range(1, Rows).Select(i => $"r{i}").Order(StringComparer.Ordinal).ToList();
        var decided = (await api.Admin.ListDecisionsAsync(ds.Id, limit: 1000)).Rows;
        Assert.Equal(datasetIds, decided.Select(d => d.RowId).Order(StringComparer.Ordinal).ToList());
        var exported = new List<ExportRecord>();
        await foreach (var r in api.Admin.ExportAsync(ds.Id, decision: "all")) exported.Add(r);
        Assert.Equal(datasetIds, exported.Select(r => r.Id).Order(StringComparer.Ordinal).ToList());
        Assert.DoesNotContain(exported, r => gold.ContainsKey(r.Inputs));
        Assert.DoesNotContain(JsonSerializer.Serialize(exported), "Source sentence number");

        // The lead's card page says which rows the held-out figures are over and lists the control labels.
        using var lead = new PageClient(api.Server.BaseAddress);
        await lead.SignInAsync(api.AdminKey);
        var html = await lead.GetHtmlAsync($"/lead/filter-jobs/{job.Id}");
        Assert.Contains("held-out figures over the", html);
        Assert.Contains($"control {answered.Values.Count(g => g)} good, {answered.Values.Count(g => !g)} bad", html);
    }
}
