using System.CommandLine;
using System.Text.Json;
using AyaQC.Core.Agreement;
using AyaQC.Core.Crowd;
using Spectre.Console;

namespace AyaQC.Cli.Crowd;

/// <summary><c>ayaqc aggregate</c>: truth inference over an answers file, with accuracy, skills and agreement.</summary>
internal static class AggregateCommand
{
    public static Command Create()
    {
        var answers = new Option<FileInfo>("--answers") { Description = "Answers TSV with header: task, worker, label", Required = true };
        var method = new Option<string>("--method")
        {
            Description = "mv | wawa | ds | onecoin | glad | mace",
            DefaultValueFactory = _ => "ds",
        };
        method.AcceptOnlyFromAmong([.. CrowdMethods.Names]);
        var gold = new Option<FileInfo?>("--gold") { Description = "Gold TSV (task, label): report accuracy against it" };
        var known = new Option<FileInfo?>("--known") { Description = "Known labels TSV (task, label) held fixed as truth (control / qualification items)" };
        var ties = new Option<string>("--ties")
        {
            Description = "Tie rule: task-hash (fixed pseudo-random per task) or crowdkit (first label in sorted order)",
            DefaultValueFactory = _ => "task-hash",
        };
        ties.AcceptOnlyFromAmong("task-hash", "crowdkit");
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of tables" };
        var output = new Option<FileInfo?>("--out") { Description = "Write per-task labels to this TSV (task, label, posterior, entropy)" };
        var top = new Option<int>("--top") { Description = "Workers listed in the table (most votes first)", DefaultValueFactory = _ => 15 };

        var command = new Command("aggregate", "Infer true labels from crowd answers; print accuracy, worker skills and agreement");
        foreach (var option in new Option[] { answers, method, gold, known, ties, json, output, top }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var writer = parse.InvocationConfiguration.Output;
            try
            {
                var report = Run(parse.GetValue(answers)!, parse.GetValue(method)!, parse.GetValue(gold), parse.GetValue(known),
                    parse.GetValue(ties) == "crowdkit" ? TieRule.LowestLabel : TieRule.TaskHash, parse.GetValue(output));
                if (parse.GetValue(json)) writer.WriteLine(JsonSerializer.Serialize(report, CrowdJson.Options));
                else PrintTables(report, writer, parse.GetValue(top));
                return 0;
            }
            catch (Exception e) when (e is FormatException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                return CliExit.Refuse($"aggregate: {e.Message}", parse.InvocationConfiguration.Error);
            }
        });
        return command;
    }

    public static AggregateReport Run(FileInfo answersFile, string method, FileInfo? goldFile, FileInfo? knownFile, TieRule ties, FileInfo? output)
    {
        var answers = Read(answersFile, r => CrowdTsv.ReadAnswers(r, answersFile.Name));
        int[]? known = null;
        if (knownFile != null)
        {
            known = answers.TaskLabels(Read(knownFile, r => CrowdTsv.ReadTaskLabels(r, knownFile.Name)), out _);
            for (var t = 0; t < known.Length; t++)
                if (known[t] == CrowdAnswers.UnknownLabel)
                    throw new FormatException($"{knownFile.Name}: task '{answers.TaskNames[t]}' has a known label no answer uses; add it to the answers' label set");
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = CrowdMethods.Create(method, ties).Aggregate(answers, known);
        var seconds = started.Elapsed.TotalSeconds;

        int[]? goldLabels = null;
        int unmatched = 0;
        if (goldFile != null) goldLabels = answers.TaskLabels(Read(goldFile, r => CrowdTsv.ReadTaskLabels(r, goldFile.Name)), out unmatched);

        var workers = new List<WorkerReport>(answers.WorkerCount);
        for (var w = 0; w < answers.WorkerCount; w++)
            workers.Add(new WorkerReport(answers.WorkerNames[w], answers.VotesByWorker(w), result.Skills.Accuracy[w],
                goldLabels == null ? null : GoldAccuracy(answers, goldLabels, w), ConfusionOf(result.Skills, w)));

        if (output != null) WriteLabels(result, output);
        var goldTasks = goldLabels?.Count(l => l != -1);
        return new AggregateReport(result.Method, result.Signature, answers.TaskCount, answers.WorkerCount, answers.VoteCount,
            answers.LabelNames, goldLabels == null ? null : result.Accuracy(goldLabels), goldTasks, goldFile == null ? null : unmatched,
            result.Iterations, seconds, result.ClassPriors, result.Skills.Kind, AgreementSummary.Of(answers, result), workers);
    }

    static T Read<T>(FileInfo file, Func<TextReader, T> parse)
    {
        if (!file.Exists) throw new FileNotFoundException($"file not found: {file.FullName}");
        using var reader = new StreamReader(file.FullName);
        return parse(reader);
    }

    static double? GoldAccuracy(CrowdAnswers answers, int[] gold, int worker)
    {
        int n = 0, right = 0;
        var votes = answers.WorkerVotes;
        for (var i = answers.WorkerStart[worker]; i < answers.WorkerStart[worker + 1]; i++)
        {
            var v = votes[i];
            var truth = gold[answers.VoteTask[v]];
            if (truth == -1) continue;
            n++;
            if (truth == answers.VoteLabel[v]) right++;
        }
        return n == 0 ? null : (double)right / n;
    }

    static double[][]? ConfusionOf(WorkerSkills skills, int worker)
    {
        if (skills.Confusion == null) return null;
        var k = skills.LabelCount;
        return Enumerable.Range(0, k).Select(c => skills.Confusion.AsSpan((worker * k + c) * k, k).ToArray()).ToArray();
    }

    static void WriteLabels(CrowdLabels result, FileInfo output)
    {
        output.Directory?.Create();
        var temp = output.FullName + ".tmp";
        using (var writer = new StreamWriter(temp))
        {
            writer.WriteLine("task\tlabel\tposterior\tentropy");
            var entropy = PosteriorEntropy.PerTask(result);
            for (var t = 0; t < result.Answers.TaskCount; t++)
                writer.WriteLine($"{result.Answers.TaskNames[t]}\t{result.LabelName(t)}\t{result.Posterior(t)[result.Labels[t]]:0.######}\t{entropy[t]:0.######}");
        }
        File.Move(temp, output.FullName, overwrite: true); // nothing half-written
    }

    static void PrintTables(AggregateReport report, TextWriter writer, int top)
    {
        writer.WriteLine($"method      {report.Method}   ({report.Signature})");
        writer.WriteLine($"data        {report.Tasks} tasks, {report.Workers} workers, {report.Votes} votes, labels: {string.Join(" ", report.Labels)}");
        if (report.Accuracy is { } accuracy)
            writer.WriteLine($"accuracy    {accuracy:F4} on {report.GoldTasks} gold tasks" + (report.GoldTasksNotInAnswers > 0 ? $" ({report.GoldTasksNotInAnswers} gold tasks have no answers)" : ""));
        writer.WriteLine($"time        {report.Seconds:F3} s, {report.Iterations} iterations");
        var a = report.Agreement;
        writer.WriteLine($"agreement   Krippendorff alpha {a.KrippendorffAlpha:F4} | Fleiss kappa {a.FleissKappa:F4} | percent agreement {a.PercentAgreement:F4}");
        writer.WriteLine($"            mean pairwise Cohen kappa {(a.MeanPairwiseCohenKappa is { } k ? k.ToString("F4") : "n/a")} over {a.CohenPairs} worker pairs (≥ 10 shared tasks)");
        writer.WriteLine($"uncertainty mean posterior entropy {a.MeanPosteriorEntropy:F4} nats");

        var table = new Table().AddColumns("worker", "votes", "skill", "gold accuracy");
        foreach (var w in report.WorkerSkills.OrderByDescending(w => w.Votes).ThenBy(w => w.Worker, StringComparer.Ordinal).Take(top))
            table.AddRow(Markup.Escape(w.Worker), w.Votes.ToString(), w.Skill.ToString("F3"), w.GoldAccuracy?.ToString("F3") ?? "-");
        CrowdConsole.WriteTable(writer, table);
        writer.WriteLine($"skill = {report.SkillKind}; {Math.Min(top, report.Workers)} of {report.Workers} workers shown");
    }
}

/// <summary>What <c>ayaqc aggregate</c> reports (also its JSON shape).</summary>
internal sealed record AggregateReport(
    string Method, string Signature, int Tasks, int Workers, int Votes, IReadOnlyList<string> Labels,
    double? Accuracy, int? GoldTasks, int? GoldTasksNotInAnswers, int Iterations, double Seconds, double[] ClassPriors,
    string SkillKind, AgreementSummary Agreement, IReadOnlyList<WorkerReport> WorkerSkills);

/// <summary>One worker's line: confusion rows are indexed [true label][answered label].</summary>
internal sealed record WorkerReport(string Worker, int Votes, double Skill, double? GoldAccuracy, double[][]? Confusion);
