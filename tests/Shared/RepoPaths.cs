namespace AyaQC.Tests.Shared;

/// <summary>Locates the checkout (the folder holding AyaQC.sln) and the team's shared/ folder beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The team's data folder, ../shared from the checkout; null when absent (tests then skip).</summary>
    public static string? Shared { get; } = FindShared();

    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string InShared(params string[] parts) =>
        Path.Combine([Shared ?? throw new InvalidOperationException(SharedDataFactAttribute.MissingMessage), .. parts]);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AyaQC.sln"))) return dir.FullName;
        throw new InvalidOperationException("AyaQC.sln not found above " + AppContext.BaseDirectory);
    }

    static string? FindShared()
    {
        var env = Environment.GetEnvironmentVariable("AYAQC_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        // A git worktree may sit elsewhere: try the checkout's parent, then the main checkout's parent.
        foreach (var candidate in new[] { Path.Combine(Root, "..", "shared"), MainCheckoutShared() })
            if (candidate is not null && Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        return null;
    }

    /// <summary>In a git worktree, .git is a file "gitdir: &lt;main&gt;/.git/worktrees/&lt;name&gt;"; shared/ sits beside &lt;main&gt;.</summary>
    static string? MainCheckoutShared()
    {
        var dotGit = Path.Combine(Root, ".git");
        if (!File.Exists(dotGit)) return null;
        var line = File.ReadLines(dotGit).FirstOrDefault(l => l.StartsWith("gitdir:", StringComparison.Ordinal));
        if (line is null) return null;
        var gitDir = new DirectoryInfo(Path.GetFullPath(line["gitdir:".Length..].Trim(), Root));
        var main = gitDir.Parent?.Parent?.Parent; // <main>/.git/worktrees/<name>
        return main is null ? null : Path.Combine(main.FullName, "..", "shared");
    }
}

/// <summary>A fact that needs ../shared/ (the team's data sets); skipped with a clear message where it is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public const string MissingMessage =
        "../shared/ (the team's data sets) is not beside this checkout; set AYAQC_SHARED or place it there to run this test";

    public SharedDataFactAttribute()
    {
        if (RepoPaths.Shared is null) Skip = MissingMessage;
    }
}

/// <summary>A theory that needs ../shared/; skipped with a clear message where it is absent.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (RepoPaths.Shared is null) Skip = SharedDataFactAttribute.MissingMessage;
    }

}
