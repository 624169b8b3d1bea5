using AyaQC.Storage;
using AyaQC.Storage.Postgres;

namespace AyaQC.Server.Tests.Support;

/// <summary>
/// Fresh databases for the suites: an SQLite file in a temp folder, or a new database on one throwaway
/// PostgreSQL server shared by the whole test run (started on first use, stopped at process exit).
/// </summary>
public static class TestDatabases
{
    public const string Sqlite = "sqlite", Postgres = "postgres";

    /// <summary>Theory data: SQLite always, PostgreSQL when installed (see <see cref="PostgresFactAttribute"/> for the skip notice).</summary>
    public static TheoryData<string> Providers => new(ProviderNames);

    public static IReadOnlyList<string> ProviderNames => ThrowawayPostgres.IsAvailable ? [Sqlite, Postgres] : [Sqlite];

    static readonly Lazy<Task<ThrowawayPostgres>> Server = new(async () =>
    {
        var server = await ThrowawayPostgres.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    });

    public static async Task<StorageOptions> CreateAsync(string provider)
    {
        if (provider == Sqlite)
        {
            var dir = Directory.CreateTempSubdirectory("ayaqc-test-").FullName;
            return new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(dir, "ayaqc.db")}" };
        }
        var pg = await Server.Value;
        var cs = await pg.CreateDatabaseAsync("t_" + Guid.NewGuid().ToString("N")[..12]);
        return new StorageOptions { Provider = "postgres", ConnectionString = cs };
    }

    public static async Task<SqlQualificationStore> CreateStoreAsync(string provider, bool initialize = true)
    {
        var store = (SqlQualificationStore)(await CreateAsync(provider)).CreateStore();
        if (initialize) await store.InitializeAsync();
        return store;
    }
}

/// <summary>A fact needing PostgreSQL; skipped with a clear message where Debian's postgresql package is absent.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!ThrowawayPostgres.IsAvailable) Skip = ThrowawayPostgres.MissingMessage;
    }
}
