using System.CommandLine;
using System.Globalization;
using AyaQC.Core.Filtering;
using AyaQC.Filtering;

namespace AyaQC.Cli.Filtering;

/// <summary><c>ayaqc filter apply --model model.zip --rows rows.tsv --output decisions.tsv</c>.</summary>
internal static class FilterApplyCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model zip from filter train", Required = true };
        var rows = new Option<FileInfo>("--rows") { Description = "TSV or CSV with an id column and the model's feature columns", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Decisions TSV: id, p_good, decision, reasons", Required = true };
        var reasons = new Option<int>("--reasons") { Description = "Reasons per row", DefaultValueFactory = _ => 2 };
        var command = new Command("apply", "Decide keep / review / drop for every row with a trained model");
        foreach (var o in new Option[] { model, rows, output, reasons }) command.Options.Add(o);
        command.SetAction(parse => FilterCommands.Run(parse, "filter apply", () =>
        {
            var trained = AgreementModel.Load(parse.GetValue(model)!.FullName);
            var table = FeatureTableReader.Read(parse.GetValue(rows)!.FullName, labelColumn: null, trained.Features.ToArray());
            var decisions = trained.Decide(table, parse.GetValue(reasons));
            var path = parse.GetValue(output)!.FullName;
            using (var writer = new StreamWriter(path + ".tmp"))
                Write(decisions, writer);
            File.Move(path + ".tmp", path, overwrite: true);
            var o = parse.InvocationConfiguration.Output;
            var counts = decisions.GroupBy(d => d.Decision).ToDictionary(g => g.Key, g => g.Count());
            o.WriteLine($"{decisions.Count} rows: {counts.GetValueOrDefault(Decision.Keep)} keep, {counts.GetValueOrDefault(Decision.Review)} review, {counts.GetValueOrDefault(Decision.Drop)} drop");
            o.WriteLine($"model: {trained.Card.Signature}");
            o.WriteLine($"decisions: {path}");
            return 0;
        }));
        return command;
    }

    public static void Write(IEnumerable<RowDecision> decisions, TextWriter writer)
    {
        writer.Write("id\tp_good\tdecision\treasons\n");
        foreach (var d in decisions)
            writer.Write($"{d.Id}\t{d.PGood.ToString("0.0000", CultureInfo.InvariantCulture)}\t{DecisionText(d.Decision)}\t{string.Join("; ", d.Reasons)}\n");
    }

    public static string DecisionText(Decision d) => d switch { Decision.Keep => "keep", Decision.Review => "review", _ => "drop" };
}
