using System.CommandLine;
using System.Text.Json;
using AyaQC.Core.Crowd;
using Spectre.Console;

namespace AyaQC.Cli.Crowd;

/// <summary>
/// <c>ayaqc simulate overlap</c>: votes spent and accuracy of dynamic overlap against fixed overlaps, on a
/// simulated crowd — the figure a vendor uses to price a job.
/// </summary>
internal static class OverlapCommand
{
    public static Command Create()
    {
        var tasks = new Option<int>("--tasks") { Description = "Simulated tasks", DefaultValueFactory = _ => 5000 };
        var workers = new Option<int>("--workers") { Description = "Simulated workers", DefaultValueFactory = _ => 200 };
        var labels = new Option<int>("--labels") { Description = "Number of classes", DefaultValueFactory = _ => 2 };
        var spammers = new Option<double>("--spammers") { Description = "Share of workers answering at random", DefaultValueFactory = _ => 0.2 };
        var biased = new Option<double>("--biased") { Description = "Share of workers favouring one label", DefaultValueFactory = _ => 0.1 };
        var minAccuracy = new Option<double>("--min-accuracy") { Description = "Honest workers' accuracy is drawn from U(min, max)", DefaultValueFactory = _ => 0.6 };
        var maxAccuracy = new Option<double>("--max-accuracy") { Description = "Upper end of honest accuracy", DefaultValueFactory = _ => 0.95 };
        var target = new Option<double>("--target") { Description = "Posterior the dynamic policy aims for", DefaultValueFactory = _ => 0.95 };
        var minVotes = new Option<int>("--min-votes") { Description = "Votes every task gets first", DefaultValueFactory = _ => 2 };
        var maxVotes = new Option<int>("--max-votes") { Description = "Most votes a task may get", DefaultValueFactory = _ => 7 };
        var fixedOverlaps = new Option<int[]>("--fixed") { Description = "Fixed overlaps to compare with", DefaultValueFactory = _ => [3, 5], AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };
        var output = new Option<FileInfo>("--out") { Description = "JSON report path", DefaultValueFactory = _ => new FileInfo(Path.Combine("reports", "simulate", "overlap.json")) };

        var command = new Command("overlap", "Simulate dynamic overlap (stop at a target posterior) against fixed overlap 3 and 5: votes spent and accuracy");
        foreach (var option in new Option[] { tasks, workers, labels, spammers, biased, minAccuracy, maxAccuracy, target, minVotes, maxVotes, fixedOverlaps, seed, output })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            try
            {
                var crowd = new CrowdSimulationOptions
                {
                    Tasks = parse.GetValue(tasks), Workers = parse.GetValue(workers), Labels = parse.GetValue(labels),
                    SpammerShare = parse.GetValue(spammers), BiasedShare = parse.GetValue(biased),
                    MinAccuracy = parse.GetValue(minAccuracy), MaxAccuracy = parse.GetValue(maxAccuracy), Seed = parse.GetValue(seed),
                };
                var policy = new DynamicOverlapPolicy
                {
                    TargetPosterior = parse.GetValue(target), MinVotes = parse.GetValue(minVotes), MaxVotes = parse.GetValue(maxVotes),
                };
                if (policy.MinVotes < 1 || policy.MaxVotes < policy.MinVotes)
                    throw new ArgumentException("--min-votes must be ≥ 1 and ≤ --max-votes");
                var report = OverlapSimulation.Run(crowd, policy, parse.GetValue(fixedOverlaps)!);
                var file = parse.GetValue(output)!;
                file.Directory?.Create();
                File.WriteAllText(file.FullName + ".tmp", JsonSerializer.Serialize(report, CrowdJson.Options));
                File.Move(file.FullName + ".tmp", file.FullName, overwrite: true);
                Print(report, parse.InvocationConfiguration.Output);
                parse.InvocationConfiguration.Output.WriteLine($"report: {file.FullName}");
                return 0;
            }
            catch (ArgumentException e)
            {
                return CliExit.Refuse($"simulate overlap: {e.Message}", parse.InvocationConfiguration.Error);
            }
        });
        return command;
    }

    static void Print(OverlapReport report, TextWriter writer)
    {
        writer.WriteLine(report.CrowdSignature);
        writer.WriteLine(report.PolicySignature);
        var table = new Table().AddColumns("strategy", "votes", "votes / task", "accuracy (MV)", "accuracy (DS)", "rounds");
        foreach (var o in report.Outcomes)
            table.AddRow(o.Strategy, o.Votes.ToString(), o.VotesPerTask.ToString("F3"), o.MajorityVoteAccuracy.ToString("F4"),
                o.DawidSkeneAccuracy.ToString("F4"), o.Rounds.ToString());
        CrowdConsole.WriteTable(writer, table);
    }
}
