using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AyaQC.Tests.Shared;

/// <summary>
/// A private PostgreSQL server in a temporary folder on a free loopback port, removed on dispose.
/// Test-only (the benchmark takes a connection string; scripts/throwaway-postgres.sh starts a server for it). Needs Debian's <c>postgresql</c> package
/// (binaries in /usr/lib/postgresql/&lt;version&gt;/bin). initdb refuses to run as root, so as root the
/// folder is given to the <c>postgres</c> user and every command runs through <c>runuser -u postgres --</c>.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    public const string MissingMessage =
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); install Debian's 'postgresql' package to run the PostgreSQL suites";

    readonly string _bin, _dir;
    string _startOptions = "";
    int _disposed;

    ThrowawayPostgres(string bin, string dir, int port)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
    }

    static bool AsRoot => Environment.UserName == "root";

    /// <summary>Stops the server at once (as a crash would), keeping its data: fault tests then start it again.</summary>
    public Task StopAsync(CancellationToken ct = default) =>
        RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], AsRoot, ct);

    /// <summary>Starts it again on the same port with the same settings.</summary>
    public Task StartAgainAsync(CancellationToken ct = default) =>
        RunAsync(Path.Combine(_bin, "pg_ctl"),
            ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60", "-o", _startOptions, "start"], AsRoot, ct);

    public int Port { get; }

    /// <summary>Connection string for a database on this server (the superuser, trust auth on loopback).</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true }.ConnectionString;

    /// <summary>The newest installed PostgreSQL's bin folder, or null.</summary>
    public static string? FindBinDir()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    public static bool IsAvailable => FindBinDir() is not null;

    /// <param name="durable">false turns fsync off (fast tests); true keeps PostgreSQL's defaults (fsync, synchronous_commit=on).</param>
    public static async Task<ThrowawayPostgres> StartAsync(bool durable = false, int maxConnections = 200, CancellationToken ct = default)
    {
        var bin = FindBinDir() ?? throw new InvalidOperationException(MissingMessage);
        var dir = Directory.CreateTempSubdirectory("ayaqc-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot) await RunAsync("chown", ["-R", "postgres:postgres", dir], asPostgres: false, ct);
        var data = Path.Combine(dir, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"], asRoot, ct);

        var port = FreeLoopbackPort();
        var settings = durable ? "" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        var server = new ThrowawayPostgres(bin, dir, port)
        {
            _startOptions = $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections={maxConnections} {settings}",
        };
        await server.StartAgainAsync(ct);
        StartWatchdog(Path.Combine(bin, "pg_ctl"), data, dir, asRoot);
        return server;
    }

    /// <summary>
    /// A detached shell that stops the server and removes its folder once this process is gone, however it ends
    /// (a test host may be killed before any dispose or exit handler finishes).
    /// </summary>
    static void StartWatchdog(string pgCtl, string data, string dir, bool asRoot)
    {
        var stop = $"{(asRoot ? "runuser -u postgres -- " : "")}'{pgCtl}' -D '{data}' -m immediate -w stop";
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'";
        var psi = new ProcessStartInfo("setsid", ["sh", "-c", script])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var _ = Process.Start(psi);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        await using (var conn = new NpgsqlConnection(ConnectionStringFor("postgres")))
        {
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return ConnectionStringFor(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"],
                Environment.UserName == "root", CancellationToken.None);
        }
        finally
        {
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asPostgres) foreach (var a in new[] { "-u", "postgres", "--", file }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        // pg_ctl leaves the server running with our pipes; read them without waiting for their end.
        var stderr = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed (exit {p.ExitCode}): {stderr}");
    }
}
