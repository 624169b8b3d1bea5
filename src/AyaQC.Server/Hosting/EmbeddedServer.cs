using AyaQC.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AyaQC.Server.Hosting;

/// <summary>
/// The AyaQC server on Kestrel inside the calling process: <c>ayaqc serve</c>, <c>ayaqc simulate</c>,
/// <c>ayaqc bench qualification</c> and the API tests all run it exactly as Program.cs does.
/// </summary>
public sealed class EmbeddedServer : IAsyncDisposable
{
    readonly WebApplication _app;

    EmbeddedServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;

    public sealed record Options
    {
        /// <summary>Port 0 picks a free port; see <see cref="BaseAddress"/>.</summary>
        public string Urls { get; init; } = "http://127.0.0.1:0";
        public StorageOptions Storage { get; init; } = new();
        public string? AdminKey { get; init; }
        public string? AdminKeyFile { get; init; }
        public string? SetsPath { get; init; }
        public bool LoadShippedSets { get; init; } = true;
        public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;
        /// <summary>Further configuration keys, e.g. <c>BackTranslation:ModelPath</c>, <c>Jobs:Queues:0</c> or <c>Cluster:SiloPort</c>.</summary>
        public IReadOnlyDictionary<string, string?>? Settings { get; init; }
        /// <summary>Extra service registrations (tests replace the clock here).</summary>
        public Action<IServiceCollection>? ConfigureServices { get; init; }
    }

    public static async Task<EmbeddedServer> StartAsync(Options options, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = options.Storage.Provider,
            ["Storage:ConnectionString"] = options.Storage.ConnectionString,
            ["Auth:AdminKey"] = options.AdminKey,
            ["Qualification:SetsPath"] = options.SetsPath,
            ["Qualification:LoadShippedSets"] = options.LoadShippedSets.ToString(),
        };
        if (options.AdminKeyFile is not null) settings["Auth:AdminKeyFile"] = options.AdminKeyFile;
        foreach (var (key, value) in options.Settings ?? new Dictionary<string, string?>()) settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        // The frameworks' own progress notes (silo options, Hangfire's cleanup every few minutes) would bury the admin
        // key and the address a user needs; their warnings and errors still show.
        foreach (var framework in new[] { "Microsoft.AspNetCore", "Orleans", "Hangfire" })
            builder.Logging.AddFilter(framework, options.MinimumLogLevel > LogLevel.Warning ? options.MinimumLogLevel : LogLevel.Warning);
        // A failed start is thrown to the caller (ayaqc serve prints it as one error line); the host's own log of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // The silo's only start-up warning is advice on server GC, which does not apply to a 2-core node.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", options.MinimumLogLevel > LogLevel.Error ? options.MinimumLogLevel : LogLevel.Error);
        builder.AddAyaQCServices();
        builder.AddOrleansSilo();
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapAyaQCEndpoints();
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmbeddedServer(app, new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1")));
    }

    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        var storage = _app.Configuration.GetSection("Storage").Get<StorageOptions>();
        await _app.StopAsync();
        await _app.DisposeAsync();
        // Orleans' ADO.NET clustering opens connections from Npgsql's process-wide pool for this connection string;
        // close them with the server, or each stopped server holds PostgreSQL connection slots for minutes.
        if (storage is { ParsedProvider: StorageProvider.Postgres, ConnectionString: { } cs })
            using (var pooled = new Npgsql.NpgsqlConnection(cs)) Npgsql.NpgsqlConnection.ClearPool(pooled);
    }
}
