using AyaQC.Storage;
using AyaQC.Tests.Shared;

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

    /// <summary>
    /// SQLite files go under /tmp/ayaqc-tests/&lt;pid&gt;; folders of test runs that have ended are removed here,
    /// since a test host may be stopped before any exit handler runs.
    /// </summary>
    static readonly Lazy<string> SqliteRoot = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), "ayaqc-tests");
        Directory.CreateDirectory(root);
        foreach (var old in Directory.GetDirectories(root))
            if (int.TryParse(Path.GetFileName(old), out var pid) && !IsRunning(pid))
                try { Directory.Delete(old, recursive: true); } catch (IOException) { }
        var mine = Path.Combine(root, Environment.ProcessId.ToString());
        Directory.CreateDirectory(mine);
        return mine;
    });

    static bool IsRunning(int pid)
    {
        try { return !System.Diagnostics.Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    public static async Task<StorageOptions> CreateAsync(string provider)
    {
        if (provider == Sqlite)
        {
            var dir = Path.Combine(SqliteRoot.Value, Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(dir);
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
