using AyaQC.Client;
using AyaQC.Server.Auth;
using AyaQC.Server.Hosting;
using AyaQC.Storage;

namespace AyaQC.Tests.Shared;

/// <summary>
/// An embedded AyaQC server on loopback over a fresh SQLite file in its own temp folder, with an admin key and an
/// HttpClient; disposing it stops the server and deletes the folder (test files written with <see cref="PathIn"/> go too).
/// </summary>
public sealed class TempServer : IAsyncDisposable
{
    readonly DirectoryInfo _dir;

    TempServer(DirectoryInfo dir, EmbeddedServer server, string adminKey)
    {
        _dir = dir;
        Server = server;
        AdminKey = adminKey;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
        Admin = new AyaQCClient(Http, adminKey);
    }

    public EmbeddedServer Server { get; }
    public string AdminKey { get; }
    public HttpClient Http { get; }
    public AyaQCClient Admin { get; }

    /// <param name="prefix">Names the temp folder, so a leftover one says which test left it.</param>
    /// <param name="settings">Server configuration on top of the defaults (e.g. <c>Jobs:Queues</c>).</param>
    /// <param name="loadShippedSets">Whether the server loads the repository's qualification sets at start.</param>
    public static async Task<TempServer> StartAsync(string prefix, IReadOnlyDictionary<string, string?>? settings = null, bool loadShippedSets = false)
    {
        var dir = Directory.CreateTempSubdirectory(prefix);
        try
        {
            var key = ApiTokens.NewAdminKey();
            var server = await EmbeddedServer.StartAsync(new EmbeddedServer.Options
            {
                Storage = new StorageOptions { ConnectionString = $"Data Source={Path.Combine(dir.FullName, "t.db")}" },
                AdminKey = key,
                LoadShippedSets = loadShippedSets,
                Settings = settings,
            });
            return new TempServer(dir, server, key);
        }
        catch
        {
            dir.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>A path in this server's temp folder.</summary>
    public string PathIn(string name) => Path.Combine(_dir.FullName, name);

    /// <summary>A command line followed by this server's address and admin key (<c>--server</c>, <c>--admin-key</c>).</summary>
    public string[] Remote(params string[] args) => [.. args, "--server", Server.BaseAddress.ToString(), "--admin-key", AdminKey];

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}
