using System.CommandLine;
using AyaQC.Cli.Metrics;

namespace AyaQC.Cli.Tests.Metrics;

/// <summary>Runs the metrics commands in-process, capturing their output, in a temporary folder of files.</summary>
internal sealed class MetricsCli : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("ayaqc-metrics-").FullName;

    public string File(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Folder, name);

    public async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var root = new RootCommand();
        var bench = new Command("bench");
        MetricsCommands.AddTo(root, bench);
        root.Subcommands.Add(bench);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
