namespace AyaQC.Server.Hosting;

/// <summary>
/// Configuration section <c>Auth</c>: <c>Auth:AdminKey</c> registers a known admin key at start (its hash is stored);
/// when the database has no admin key and none is configured, one is generated, logged once and written to
/// <c>Auth:AdminKeyFile</c>.
/// </summary>
public sealed class AuthOptions
{
    public string? AdminKey { get; set; }
    public string AdminKeyFile { get; set; } = "data/admin-key.txt";
}

/// <summary>Configuration section <c>Qualification</c>: <c>SetsPath</c> is the folder of shipped sets (one subfolder per set).</summary>
public sealed class QualificationOptions
{
    public string? SetsPath { get; set; }
    public bool LoadShippedSets { get; set; } = true;
}
