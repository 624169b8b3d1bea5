using System.CommandLine;
using AyaQC.Cli;
using AyaQC.Cli.Assessment;
using AyaQC.Cli.Crowd;
using AyaQC.Cli.Datasets;
using AyaQC.Cli.Filtering;
using AyaQC.Cli.GoldSets;
using AyaQC.Cli.Metrics;
using AyaQC.Cli.Qualification;
using AyaQC.Cli.Translation;
using Spectre.Console;

// Each feature area adds its own commands; `bench` and `simulate` are shared parents.
var root = new RootCommand("ayaqc — quality control for machine-translated instruction data. " + CliExit.Help);
var bench = new Command("bench", "Measure throughput and latency; results go under reports/bench/");
var simulate = new Command("simulate", "Run simulated crowds through AyaQC");

root.Subcommands.Add(ValidateSetCommand.Create());
QualificationCommands.AddTo(root, bench, simulate);
MetricsCommands.AddTo(root, bench);
CrowdCommands.AddTo(root, bench, simulate);
TranslationCommands.AddTo(root, bench);
DatasetCommands.AddTo(root, bench);
FilterCommands.AddTo(root, bench, simulate);
simulate.Subcommands.Add(SimulateAssessmentCommand.Create());
bench.Subcommands.Add(AssessmentBench.Create());
bench.Subcommands.Add(AyaQC.Cli.Pages.PagesBench.Create());

root.Subcommands.Add(AyaQC.Cli.Report.ReportCommand.Create());

// Redirected output is for scripts: no colours or cursor codes, and no line wrapped at a guessed width.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
    });
    AnsiConsole.Profile.Width = 1000;
}

root.Subcommands.Add(bench);
root.Subcommands.Add(simulate);
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var e in parsed.Errors) Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine("see 'ayaqc --help' (or the command's --help)");
    return CliExit.Usage;
}
return await parsed.InvokeAsync();
