using System.CommandLine;

namespace AyaQC.Cli.Filtering;

/// <summary>The agreement model from files (<c>filter train</c>, <c>filter apply</c>, <c>simulate filter</c>, <c>bench filter</c>) and on the
/// server (<c>filter run</c>, <c>export</c>).</summary>
public static class FilterCommands
{
    public static void AddTo(RootCommand root, Command bench, Command simulate)
    {
        var filter = new Command("filter", "Train an agreement model on labelled rows and apply it: keep / review / drop per row");
        filter.Subcommands.Add(FilterTrainCommand.Create());
        filter.Subcommands.Add(FilterApplyCommand.Create());
        filter.Subcommands.Add(FilterRunCommand.Create());
        filter.Subcommands.Add(FilterSendBackCommand.Create());
        root.Subcommands.Add(filter);
        root.Subcommands.Add(ExportCommand.Create());
        simulate.Subcommands.Add(SimulateFilterCommand.Create());
        bench.Subcommands.Add(FilterBenchCommand.Create());
        bench.Subcommands.Add(ExportBenchCommand.Create());
    }

    /// <summary>Runs a command body; bad input (files, values) exits 1 with the message on stderr.</summary>
    internal static int Run(ParseResult parse, string name, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return CliExit.Refuse($"{name}: {e.Message}", parse.InvocationConfiguration.Error);
        }
    }
}
