using Hangfire.PostgreSql;
using Npgsql;

namespace AyaQC.Server.Jobs;

/// <summary>
/// Hangfire's PostgreSQL connections, from a data source this process owns and closes when it stops. (Hangfire's own
/// factory uses Npgsql's process-wide pool for the connection string, whose idle connections outlive the server.)
/// </summary>
public sealed class HangfireNpgsqlConnections(string connectionString) : IConnectionFactory, IDisposable
{
    readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    public NpgsqlConnection GetOrCreateConnection() => _source.CreateConnection();

    public void Dispose() => _source.Dispose();
}
