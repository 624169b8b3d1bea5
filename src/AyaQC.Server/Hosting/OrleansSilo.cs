using System.Net;
using System.Net.Sockets;
using AyaQC.Storage;
using Npgsql;
using Orleans.Configuration;

namespace AyaQC.Server.Hosting;

/// <summary>
/// Configuration section <c>Cluster</c>. Ports 0 = pick free ones. <c>AdvertisedHost</c>: the name or address other
/// nodes reach this one by (default: loopback, i.e. all nodes on one machine).
/// </summary>
public sealed class ClusterOptions
{
    public int SiloPort { get; set; }
    public int GatewayPort { get; set; }
    public string? AdvertisedHost { get; set; }
    public string ClusterId { get; set; } = "ayaqc";
}

/// <summary>
/// The Orleans silo co-hosted with the API. SQLite: one silo, localhost clustering, nothing to configure.
/// PostgreSQL: ADO.NET clustering on the same database (tables and queries from schema step 3), so every
/// <c>ayaqc serve</c> on that database joins one cluster; membership tuned to declare a dead node in a few seconds.
/// </summary>
public static class OrleansSilo
{
    public static WebApplicationBuilder AddOrleansSilo(this WebApplicationBuilder builder)
    {
        var storage = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        var cluster = builder.Configuration.GetSection("Cluster").Get<ClusterOptions>() ?? new ClusterOptions();
        var siloPort = cluster.SiloPort > 0 ? cluster.SiloPort : FreePort();
        var gatewayPort = cluster.GatewayPort > 0 ? cluster.GatewayPort : FreePort();
        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, "ayaqc"));
            if (storage.ParsedProvider == StorageProvider.Postgres)
            {
                // Its own pool (named), emptied once the host has stopped: a stopped node holds no connection slot.
                var clustering = new NpgsqlConnectionStringBuilder(storage.ConnectionString) { ApplicationName = "ayaqc-cluster" }.ConnectionString;
                silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", clustering));
                builder.Services.AddHostedService(sp => new ClusterConnectionRelease(sp.GetRequiredService<IHostApplicationLifetime>(), clustering));
                if (cluster.AdvertisedHost is { Length: > 0 } host && !IPAddress.TryParse(host, out _))
                    silo.ConfigureEndpoints(host, siloPort, gatewayPort, listenOnAnyHostAddress: true);
                else
                    silo.ConfigureEndpoints(cluster.AdvertisedHost is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback,
                        siloPort, gatewayPort, listenOnAnyHostAddress: cluster.AdvertisedHost is { Length: > 0 });
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    // Defaults take 5-11 s to declare a killed node dead; these take about 2-4 s.
                    o.ProbeTimeout = TimeSpan.FromMilliseconds(750);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                    o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                    o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                    o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
                });
            }
            else silo.UseLocalhostClustering(siloPort, gatewayPort);
            // A call to a node that just died fails fast (and becomes 503 + Retry-After) instead of hanging 30 s.
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        });
        return builder;
    }

    static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

/// <summary>Empties the clustering connection pool after the host (and with it the silo) has stopped.</summary>
sealed class ClusterConnectionRelease(IHostApplicationLifetime lifetime, string connectionString) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        lifetime.ApplicationStopped.Register(() =>
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
