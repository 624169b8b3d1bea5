using AyaQC.Core.Qualification;
using AyaQC.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AyaQC.Grains.Tests;

/// <summary>The test classes share one cluster (its silos take the store from a static field).</summary>
[CollectionDefinition(Name)]
public sealed class GrainCluster : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain cluster";
}

/// <summary>
/// A two-silo Orleans TestingHost cluster whose grains use one real SQLite store in a temp folder, holding a gold
/// set, three assessors and an open round over them (8 items each, no early stop).
/// </summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    static IQualificationStore? _shared; // the silos are built by type, in this process: they take the store from here
    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ayaqc-grains-");

    public TestCluster Cluster { get; private set; } = null!;
    public IQualificationStore Store { get; private set; } = null!;
    public string RoundId { get; } = "rnd_grains";
    public IReadOnlyList<string> Assessors { get; } = ["asr_a", "asr_b", "asr_c"];
    public IReadOnlyList<GoldItem> Items { get; private set; } = [];
    public static DateTimeOffset Now { get; } = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        Store = new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(_dir.FullName, "grains.db")}" }.CreateStore();
        await Store.InitializeAsync();
        Items = Enumerable.Range(0, 16).Select(i => new GoldItem($"g{i:D2}", "eng_Latn", "swh_Latn", $"source {i}", $"tafsiri {i}",
            i % 2 == 0 ? Verdict.Good : Verdict.Bad, i % 2 == 0 ? null : ErrorTypes.All[0], $"SECRET-{i}")).ToList();
        var set = (await Store.ImportGoldSetAsync(new GoldSetImport("grains", null, Items))).Value;
        await Store.RegisterAssessorsAsync(new AssessorBatch(null, Assessors.Select(a => new NewAssessor(a, a.ToUpperInvariant(), null, "hash-" + a)).ToList()));
        await Store.CreateRoundAsync(new NewRound(RoundId, "grains", set.Id, 8, new QualificationPolicy(MinItemsBeforeEarlyStop: 100), Now, null,
            Assessors.Select(a => new RoundAssignment(a, Items.Take(8).Select(i => i.Id).ToList())).ToList()));
        _shared = Store;

        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<StoreConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    sealed class StoreConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.ConfigureServices(s => s.AddSingleton(_shared!));
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Store.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}
