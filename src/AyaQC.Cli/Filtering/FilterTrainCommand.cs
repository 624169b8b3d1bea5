using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using AyaQC.Core.Filtering;
using AyaQC.Filtering;

namespace AyaQC.Cli.Filtering;

/// <summary><c>ayaqc filter train --rows rows.tsv --label label --model model.zip</c>.</summary>
internal static class FilterTrainCommand
{
    public static Command Create()
    {
        var rows = new Option<FileInfo>("--rows") { Description = "TSV or CSV (by extension) with a header, an id column and a label column", Required = true };
        var label = new Option<string>("--label") { Description = "Label column: good / bad, empty = unlabelled (not trained on)", Required = true };
        var features = new Option<string?>("--features") { Description = "Comma-separated feature columns (default: every other numeric column)" };
        var model = new Option<FileInfo>("--model") { Description = "Model zip to write (ML.NET model + card.json)", Required = true };
        var card = new Option<FileInfo?>("--card") { Description = "Also write the model card as JSON here" };
        var options = AgreementOptionsBinder.Options();
        var command = new Command("train", "Train an agreement model (trees vs logistic-regression baseline, k-fold held-out card) on labelled rows");
        foreach (var o in new Option[] { rows, label, features, model, card }.Concat(options.All)) command.Options.Add(o);
        command.SetAction(parse => FilterCommands.Run(parse, "filter train", () =>
        {
            var o = parse.InvocationConfiguration.Output;
            var featureList = parse.GetValue(features)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var table = FeatureTableReader.Read(parse.GetValue(rows)!.FullName, parse.GetValue(label)!, featureList);
            var clock = Stopwatch.StartNew();
            var trained = AgreementTrainer.Train(table, options.Bind(parse));
            var path = parse.GetValue(model)!.FullName;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            trained.Save(path + ".tmp");
            File.Move(path + ".tmp", path, overwrite: true);
            if (parse.GetValue(card) is { } cardFile)
                File.WriteAllText(cardFile.FullName, JsonSerializer.Serialize(trained.Card, AyaQC.Filtering.CardJson.Options));
            ModelCardText.Write(trained.Card, o);
            o.WriteLine($"trained in {clock.Elapsed.TotalSeconds:0.0} s; model: {path}");
            return 0;
        }));
        return command;
    }
}

/// <summary>The training options every filter command shares.</summary>
internal sealed class AgreementOptionsBinder
{
    public required Option<string> Trainer { get; init; }
    public required Option<int> Folds { get; init; }
    public required Option<int> Seed { get; init; }
    public required Option<double> Keep { get; init; }
    public required Option<double> Drop { get; init; }
    public Option[] All => [Trainer, Folds, Seed, Keep, Drop];

    public static AgreementOptionsBinder Options() => new()
    {
        Trainer = new Option<string>("--trainer") { Description = "Gradient-boosted trees: lightgbm or fasttree", DefaultValueFactory = _ => "lightgbm" },
        Folds = new Option<int>("--folds") { Description = "Stratified folds for held-out figures", DefaultValueFactory = _ => 5 },
        Seed = new Option<int>("--seed") { Description = "Random seed (folds, trees, permutations)", DefaultValueFactory = _ => 1 },
        Keep = new Option<double>("--keep-precision") { Description = "Target share of kept rows that are good", DefaultValueFactory = _ => 0.95 },
        Drop = new Option<double>("--drop-precision") { Description = "Target share of dropped rows that are bad", DefaultValueFactory = _ => 0.90 },
    };

    public AgreementOptions Bind(ParseResult parse) => new()
    {
        Trainer = parse.GetValue(Trainer)?.ToLowerInvariant() switch
        {
            "lightgbm" => TreeTrainer.LightGbm,
            "fasttree" => TreeTrainer.FastTree,
            var other => throw new ArgumentException($"--trainer '{other}': use lightgbm or fasttree"),
        },
        Folds = parse.GetValue(Folds), Seed = parse.GetValue(Seed),
        KeepPrecision = parse.GetValue(Keep), DropPrecision = parse.GetValue(Drop),
    };
}
