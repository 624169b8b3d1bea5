using AyaQC.Server.Hosting;

namespace AyaQC.Cli.Qualification;

/// <summary>Where simulate and bench take their gold set from: a file, a folder of *.jsonl, or the shipped en-sw set.</summary>
public static class GoldSetSource
{
    public static (string Name, byte[] Jsonl) Load(string? path)
    {
        if (path is null)
        {
            var root = ShippedSets.Locate(null, Directory.GetCurrentDirectory())
                ?? throw new CommandException("no qualification-sets/ folder found here or above; pass --set <file or folder>");
            path = Path.Combine(root, "en-sw");
        }
        if (File.Exists(path)) return (Path.GetFileNameWithoutExtension(path), File.ReadAllBytes(path));
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.jsonl").Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new CommandException($"no *.jsonl files in {path}");
            return (Path.GetFileName(Path.GetFullPath(path).TrimEnd('/')), ShippedSets.Concatenate(files));
        }
        throw new CommandException($"gold set '{path}' does not exist");
    }
}
