using AyaQC.Server.Hosting;
using AyaQC.Server.Jobs;
using AyaQC.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AyaQC.Server.Tests.Datasets;

/// <summary>
/// Hosted services start one after another in registration order. The stale-job recovery and Hangfire's job server read
/// the job tables, so on a fresh database they must start after the schema upgrade; before, a slow upgrade on a loaded
/// machine let the recovery query a table that did not exist yet, and the host stopped.
/// </summary>
public class StartupOrderTests
{
    [Fact]
    public async Task The_schema_upgrade_starts_before_the_job_server_and_the_stale_job_recovery()
    {
        await using var api = await ApiServer.StartAsync("sqlite");
        var order = api.Server.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();

        var upgrade = order.IndexOf(nameof(StartupInitializer));
        var recovery = order.IndexOf(nameof(StaleJobRecovery));
        var hangfire = order.FindIndex(name => name.Contains("BackgroundJobServer", StringComparison.Ordinal));
        Assert.True(upgrade >= 0 && recovery >= 0 && hangfire >= 0, string.Join(", ", order));
        Assert.True(upgrade < recovery, string.Join(", ", order));
        Assert.True(upgrade < hangfire, string.Join(", ", order));
    }
}
