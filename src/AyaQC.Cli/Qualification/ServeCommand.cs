using Microsoft.Extensions.Logging;
using System.CommandLine;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using Spectre.Console;

namespace AyaQC.Cli.Qualification;

/// <summary><c>ayaqc serve</c>: the AyaQC server in this process (SQLite file by default, PostgreSQL on request).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => ServerConnection.DefaultServer };
        var db = new Option<string>("--db") { Description = "SQLite database file (created on first start)", DefaultValueFactory = _ => StorageOptions.DefaultSqliteFile };
        var postgres = new Option<string?>("--postgres") { Description = "Use PostgreSQL with this connection string instead of SQLite (or set Storage__Provider=postgres and Storage__ConnectionString)" };
        var adminKey = new Option<string?>("--admin-key") { Description = "Register this admin key (aqa_...) at start; otherwise one is generated on first start and written to data/admin-key.txt" };
        var sets = new Option<string?>("--sets") { Description = "Folder of shipped qualification sets (default: the nearest qualification-sets/)" };
        var model = new Option<string?>("--model") { Description = "NLLB model folder for back-translation jobs (or set BackTranslation__ModelPath)" };
        var device = new Option<string?>("--device") { Description = "cpu, cuda or auto for back-translation jobs served here (default auto)" };
        var queues = new Option<string?>("--queues") { Description = "Job queues this server serves, comma-separated (default gpu,default; 'none' to serve none)" };
        var siloPort = new Option<int?>("--silo-port") { Description = "Orleans silo port (default: a free one; or Cluster__SiloPort)" };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Orleans gateway port (default: a free one; or Cluster__GatewayPort)" };
        var advertise = new Option<string?>("--advertise") { Description = "Host name or IP the other nodes reach this one by (default: 127.0.0.1; or Cluster__AdvertisedHost)" };

        var command = new Command("serve", "Run the AyaQC server (REST API under /api/v1, OpenAPI at /openapi/v1.json)");
        foreach (var o in new Option[] { urls, db, postgres, adminKey, sets, model, device, queues, siloPort, gatewayPort, advertise }) command.Options.Add(o);
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var pg = pr.GetValue(postgres) ?? Env("Storage__ConnectionString", onlyIf: "Storage__Provider", value: "postgres");
            var settings = AyaQC.Cli.Datasets.WorkerCommand.JobSettings(pr.GetValue(model), pr.GetValue(device), pr.GetValue(queues));
            // command-line values win over the environment (Cluster__SiloPort etc., read by the server's configuration)
            if (pr.GetValue(siloPort) is { } sp) settings["Cluster:SiloPort"] = sp.ToString();
            if (pr.GetValue(gatewayPort) is { } gp) settings["Cluster:GatewayPort"] = gp.ToString();
            if (pr.GetValue(advertise) is { } host) settings["Cluster:AdvertisedHost"] = host;
            var storage = pg is not null
                ? new StorageOptions { Provider = "postgres", ConnectionString = pg }
                : new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={pr.GetValue(db)}" };
            await using var server = await StartAsync(new EmbeddedServer.Options
            {
                Urls = pr.GetValue(urls)!,
                Storage = storage,
                AdminKey = pr.GetValue(adminKey) ?? Environment.GetEnvironmentVariable("Auth__AdminKey"),
                SetsPath = pr.GetValue(sets) ?? Environment.GetEnvironmentVariable("Qualification__SetsPath"),
                MinimumLogLevel = LogLevel.Information,
                Settings = settings,
            }, ct);
            AnsiConsole.MarkupLine($"AyaQC listening on [bold]{server.BaseAddress}[/] ({storage.ParsedProvider.ToString().ToLowerInvariant()}); OpenAPI: {server.BaseAddress}openapi/v1.json. Ctrl+C stops.");
            AnsiConsole.MarkupLine($"Pages: open [bold]{server.BaseAddress}[/] in a browser and sign in with the admin key (leads) or an assessor's token.");
            try { await server.WaitForShutdownAsync(ct); }
            catch (OperationCanceledException) { }
        }));
        return command;
    }

    static async Task<EmbeddedServer> StartAsync(EmbeddedServer.Options options, CancellationToken ct)
    {
        try { return await EmbeddedServer.StartAsync(options, ct); }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new CommandException($"{options.Urls} is already in use (is another `ayaqc serve` running?): stop it, or listen elsewhere with --urls http://127.0.0.1:PORT");
        }
    }

    static string? Env(string name, string onlyIf, string value) =>
        string.Equals(Environment.GetEnvironmentVariable(onlyIf), value, StringComparison.OrdinalIgnoreCase) ? Environment.GetEnvironmentVariable(name) : null;
}
