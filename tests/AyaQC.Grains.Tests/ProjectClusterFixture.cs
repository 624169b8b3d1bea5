using System.Text;
using AyaQC.Contracts;
using AyaQC.Core.Assessment;
using AyaQC.Core.Datasets;
using AyaQC.Storage;
using AyaQC.Storage.Assessment;
using AyaQC.Storage.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AyaQC.Grains.Tests;

/// <summary>
/// A two-silo TestingHost cluster whose project grains share one real SQLite database in a temp folder, holding a
/// dataset of 40 rows and 12 registered assessors; each test creates its own open project over them.
/// </summary>
public sealed class ProjectClusterFixture : IAsyncLifetime
{
    // The silos are built by type, in this process: they take the stores from here. Handed over as instances, so a
    // silo that stops (or is killed) does not dispose the database the others still use.
    static SqlDatabase? _db;
    static SqlQualificationStore? _qualification;
    static ProjectStore? _projects;
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ayaqc-projects-");

    public TestCluster Cluster { get; private set; } = null!;
    public ProjectStore Projects { get; private set; } = null!;
    public string DatasetId { get; private set; } = "";
    public IReadOnlyList<string> Assessors { get; } = Enumerable.Range(1, 12).Select(i => $"asr_p{i:D2}").ToList();
    public const int Rows = 40;

    public async Task InitializeAsync()
    {
        _db = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(_dir.FullName, "projects.db")}" }.CreateDatabase();
        var store = _qualification = new SqlQualificationStore(_db);
        await store.InitializeAsync();
        await store.RegisterAssessorsAsync(new AssessorBatch(null, Assessors.Select(a => new NewAssessor(a, a, null, "hash-" + a)).ToList()));
        var jsonl = new StringBuilder();
        for (var i = 0; i < Rows; i++)
            jsonl.Append($$"""{"id":"row{{i:D2}}","source_lang":"eng_Latn","target_lang":"swh_Latn","source":"Sentence {{i}}.","translation":"Sentensi {{i}}."}""").Append('\n');
        var imported = await new DatasetStore(_db).ImportAsync(new DatasetImport("rows", null, DatasetFormat.Jsonl),
            DatasetFileReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(jsonl.ToString())), DatasetFormat.Jsonl, new DatasetColumns()));
        DatasetId = imported.Dataset!.Id;
        Projects = _projects = new ProjectStore(_db);

        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<StoreConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    sealed class StoreConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.ConfigureServices(s => s
            .AddSingleton(_db!)
            .AddSingleton<IQualificationStore>(_qualification!)
            .AddSingleton(_projects!));
    }

    /// <summary>An open judge project over the dataset for every assessor (no controls, no speed rule: tests answer at once).</summary>
    public async Task<string> CreateProjectAsync(OverlapRequest overlap, DateTimeOffset now, DateTimeOffset? deadline = null)
    {
        var (settings, problems) = ProjectSettings.From(new CreateProjectRequest("grains", DatasetId, ProjectSettings.Judge, null, overlap,
            Suspension: new SuspensionRequest(Speed: new SignalRequest(false, 1, 0))));
        Assert.Empty(problems);
        var project = await Projects.CreateAsync(new NewProject("grains", DatasetId, null, ProjectSettings.Judge, settings!.ToJson(),
            Convert.ToHexString(OpaqueItemIds.NewKey()), 7, deadline, Assessors), now);
        await Projects.SetStateAsync(project.Id, "open");
        return project.Id;
    }

    /// <summary>The grain factory of one silo: calls made through it start on that silo.</summary>
    public IGrainFactory Through(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<IGrainFactory>();

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await _db!.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}
