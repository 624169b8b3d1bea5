using System.CommandLine;
using AyaQC.Cli.Qualification;
using AyaQC.Server.Hosting;
using AyaQC.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AyaQC.Cli.Datasets;

/// <summary><c>ayaqc worker</c>: a job worker without the API — e.g. <c>--queues gpu --device cuda</c> on a GPU host,
/// taking back-translation jobs from the same database as the servers.</summary>
public static class WorkerCommand
{
    /// <summary>The configuration keys `serve` and `worker` set from their job options (nulls keep the defaults).</summary>
    public static Dictionary<string, string?> JobSettings(string? model, string? device, string? queues)
    {
        var settings = new Dictionary<string, string?>();
        if (model is not null) settings["BackTranslation:ModelPath"] = model;
        if (device is not null) settings["BackTranslation:Device"] = device;
        if (queues is not null) settings["Jobs:Queues"] = queues;
        return settings;
    }

    public static Command Create()
    {
        var queues = new Option<string>("--queues") { Description = "Queues to serve, comma-separated", DefaultValueFactory = _ => "gpu" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("cpu", "cuda", "auto");
        var model = new Option<string?>("--model") { Description = "NLLB model folder (or set BackTranslation__ModelPath)" };
        var db = new Option<string>("--db") { Description = "SQLite database file of the server", DefaultValueFactory = _ => StorageOptions.DefaultSqliteFile };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (or set Storage__Provider=postgres and Storage__ConnectionString)" };
        var workers = new Option<int>("--workers") { Description = "Jobs run at once in this process", DefaultValueFactory = _ => 1 };
        var command = new Command("worker", "Run a job worker (no API): takes jobs from the queues of the server's database");
        foreach (var o in new Option[] { queues, device, model, db, postgres, workers }) command.Options.Add(o);
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var pg = pr.GetValue(postgres) ?? (string.Equals(Environment.GetEnvironmentVariable("Storage__Provider"), "postgres", StringComparison.OrdinalIgnoreCase)
                ? Environment.GetEnvironmentVariable("Storage__ConnectionString") : null);
            var storage = pg is not null
                ? new StorageOptions { Provider = "postgres", ConnectionString = pg }
                : new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={pr.GetValue(db)}" };
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
            var settings = JobSettings(pr.GetValue(model), pr.GetValue(device), pr.GetValue(queues));
            settings["Jobs:Workers"] = pr.GetValue(workers).ToString();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Services.AddSingleton(_ => storage.CreateDatabase());
            builder.Services.AddAyaQCJobs(builder.Configuration, storage);
            using var host = builder.Build();
            await host.StartAsync(ct);
            Console.WriteLine($"AyaQC worker serving queues {pr.GetValue(queues)} on {storage.ParsedProvider.ToString().ToLowerInvariant()}; Ctrl+C stops.");
            try { await host.WaitForShutdownAsync(ct); }
            catch (OperationCanceledException) { }
            await host.StopAsync(CancellationToken.None);
        }));
        return command;
    }
}
