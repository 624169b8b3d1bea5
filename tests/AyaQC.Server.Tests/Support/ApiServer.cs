using Microsoft.Extensions.DependencyInjection;
using AyaQC.Client;
using AyaQC.Contracts;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;

namespace AyaQC.Server.Tests.Support;

/// <summary>A real Kestrel AyaQC server on a free loopback port over a fresh database, with an admin client.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    public EmbeddedServer Server { get; }
    public HttpClient Http { get; }
    public AyaQCClient Admin { get; }
    public string AdminKey { get; }
    public ShiftableClock Clock { get; }

    ApiServer(EmbeddedServer server, string adminKey, ShiftableClock clock)
    {
        Server = server;
        AdminKey = adminKey;
        Clock = clock;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
        Admin = new AyaQCClient(Http, adminKey);
    }

    public static async Task<ApiServer> StartAsync(string provider, string? setsPath = null, bool loadShipped = false,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var key = ApiTokens.NewAdminKey();
        var clock = new ShiftableClock();
        var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
        {
            Storage = await TestDatabases.CreateAsync(provider),
            AdminKey = key,
            SetsPath = setsPath,
            LoadShippedSets = loadShipped,
            ConfigureServices = s => s.AddSingleton<TimeProvider>(clock),
            Settings = settings,
        });
        return new ApiServer(server, key, clock);
    }

    public AyaQCClient As(string token) => new(Http, token);

    /// <summary>Imports the synthetic set, registers assessors and opens a round over all of them.</summary>
    public async Task<(GoldSetResponse Set, List<RegisteredAssessor> Assessors, RoundResponse Round)> OpenRoundAsync(
        int assessors = 3, int itemsPerAssessor = 12, RoundPolicy? policy = null, int? expiresInMinutes = null, string name = "round")
    {
        var set = await Admin.ImportGoldSetAsync("synthetic-" + Guid.NewGuid().ToString("N")[..6], SyntheticGoldSet.Jsonl(SyntheticGoldSet.Items()));
        var registered = await Admin.RegisterAssessorsAsync(new RegisterAssessorsRequest(
            Enumerable.Range(1, assessors).Select(i => new AssessorRegistration($"Assessor {i}", ["swh_Latn", "eng_Latn"])).ToList()));
        var round = await Admin.OpenRoundAsync(new OpenRoundRequest(name, set.Id, itemsPerAssessor,
            registered.Assessors.Select(a => a.Id).ToList(), expiresInMinutes, policy, Seed: 7));
        return (set, registered.Assessors.ToList(), round);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>The server's clock, movable forward so expiry can be tested without waiting.</summary>
public sealed class ShiftableClock : TimeProvider
{
    TimeSpan _offset;
    public void Advance(TimeSpan by) => _offset += by;
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
}
