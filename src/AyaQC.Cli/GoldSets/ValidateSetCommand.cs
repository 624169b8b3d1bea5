using System.CommandLine;
using AyaQC.Core.Qualification;

namespace AyaQC.Cli.GoldSets;

/// <summary><c>ayaqc validate-set FILE...</c>: checks gold sets (schema, duplicates, balance) and reports problems by line.</summary>
public static class ValidateSetCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Gold set JSONL files (see qualification-sets/README.md)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate-set", "Check a qualification gold set: schema, language codes, duplicates, balance, error-type coverage");
        command.Arguments.Add(files);
        command.SetAction(pr =>
        {
            var failed = false;
            foreach (var file in pr.GetValue(files)!)
            {
                if (!file.Exists)
                {
                    CliExit.Refuse($"{file.FullName}: no such file");
                    failed = true;
                    continue;
                }
                SetReadResult result;
                using (var stream = file.OpenRead()) result = QualificationSetReader.Read(stream);
                foreach (var problem in result.Problems)
                    (problem.IsError ? Console.Error : Console.Out).WriteLine($"{file.Name}: {problem}");
                Console.WriteLine($"{file.Name}: {Summary(result.Items)}; {(result.IsValid ? "valid" : $"{result.Problems.Count(p => p.IsError)} errors")}");
                failed |= !result.IsValid;
            }
            return failed ? 1 : 0;
        });
        return command;
    }

    static string Summary(IReadOnlyList<GoldItem> items)
    {
        var good = items.Count(i => i.Label == Verdict.Good);
        var types = ErrorTypes.All.Select(t => $"{t} {items.Count(i => i.ErrorType == t)}");
        return $"{items.Count} items, {good} good, {items.Count - good} bad ({string.Join(", ", types)})";
    }
}
