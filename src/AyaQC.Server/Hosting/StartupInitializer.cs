using System.Security.Cryptography;
using AyaQC.Server.Auth;
using AyaQC.Server.Qualification;
using AyaQC.Storage;
using Microsoft.Extensions.Options;

namespace AyaQC.Server.Hosting;

/// <summary>
/// Runs before the server takes requests: upgrades the schema, makes sure an admin key exists, and loads the
/// shipped qualification sets (each subfolder of qualification-sets/ becomes one gold set; loading is
/// idempotent, keyed by the files' content hash).
/// </summary>
public sealed class StartupInitializer(
    IQualificationStore store, IOptions<AuthOptions> auth, IOptions<QualificationOptions> qualification,
    IHostEnvironment env, ILogger<StartupInitializer> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await store.InitializeAsync(ct);
        await EnsureAdminKeyAsync(ct);
        if (qualification.Value.LoadShippedSets) await LoadShippedSetsAsync(ct);
    }

    async Task EnsureAdminKeyAsync(CancellationToken ct)
    {
        if (auth.Value.AdminKey is { Length: > 0 } configured)
        {
            if (!configured.StartsWith(ApiTokens.AdminPrefix, StringComparison.Ordinal) || configured.Length < 20)
                throw new InvalidOperationException($"Auth:AdminKey must start with '{ApiTokens.AdminPrefix}' and hold at least 16 random characters");
            await store.AddAdminKeyAsync("configured", ApiTokens.Hash(configured), ct);
            return;
        }
        if (await store.CountAdminKeysAsync(ct) > 0) return;
        var key = ApiTokens.NewAdminKey();
        await store.AddAdminKeyAsync("generated at first start", ApiTokens.Hash(key), ct);
        var file = Path.GetFullPath(auth.Value.AdminKeyFile, env.ContentRootPath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, key + Environment.NewLine, ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        log.LogWarning("Generated the admin key (shown once, also written to {File}): {Key}", file, key);
    }

    async Task LoadShippedSetsAsync(CancellationToken ct)
    {
        var root = ShippedSets.Locate(qualification.Value.SetsPath, env.ContentRootPath);
        if (root is null)
        {
            log.LogWarning("No qualification-sets folder found; set Qualification:SetsPath to load the shipped gold sets");
            return;
        }
        foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var files = Directory.GetFiles(folder, "*.jsonl").Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) continue;
            var name = Path.GetFileName(folder);
            var bytes = ShippedSets.Concatenate(files);
            var parsed = GoldSetFile.Parse(bytes);
            if (!parsed.Ok)
            {
                log.LogError("Shipped set {Name} not loaded: {Count} problem(s); first: line {Line} {Field}: {Message} (lines count across {Files} in name order)",
                    name, parsed.Errors.Count, parsed.Errors[0].Line, parsed.Errors[0].Field, parsed.Errors[0].Message, string.Join(", ", files.Select(Path.GetFileName)));
                continue;
            }
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
            var batch = $"shipped:{name}:{hash}";
            var existing = (await store.ListGoldSetsAsync(ct)).Any(s => s.Name == name);
            var setName = existing ? $"{name}-{hash[..8]}" : name; // a changed shipped file becomes a new set; old rounds keep theirs
            try
            {
                var outcome = await store.ImportGoldSetAsync(new GoldSetImport(setName, batch, parsed.Items), ct);
                if (!outcome.Replayed)
                    log.LogInformation("Loaded shipped gold set {Name} ({Items} items) as {Id}", setName, outcome.Value.ItemCount, outcome.Value.Id);
            }
            catch (StoreConflictException)
            {
                // The same name with another batch: an admin imported a set by that name; leave theirs alone.
                log.LogWarning("Shipped set {Name} not loaded: a different set of that name already exists", setName);
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Finding and reading the shipped qualification-sets/ folder.</summary>
public static class ShippedSets
{
    public const string FolderName = "qualification-sets";

    /// <summary>The configured path, else the nearest qualification-sets/ above the content root or the binaries.</summary>
    public static string? Locate(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(configured, contentRoot);
            return Directory.Exists(full) ? full : throw new DirectoryNotFoundException($"Qualification:SetsPath '{full}' does not exist");
        }
        foreach (var start in new[] { contentRoot, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, FolderName);
                if (Directory.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>The files joined into one JSONL text (each ending in a newline), so line numbers run across them.</summary>
    public static byte[] Concatenate(IEnumerable<string> files)
    {
        using var all = new MemoryStream();
        foreach (var f in files)
        {
            var bytes = File.ReadAllBytes(f);
            var start = bytes.AsSpan().StartsWith(System.Text.Encoding.UTF8.Preamble) ? 3 : 0;
            all.Write(bytes, start, bytes.Length - start);
            if (bytes.Length > start && bytes[^1] != (byte)'\n') all.WriteByte((byte)'\n');
        }
        return all.ToArray();
    }
}
