using System.CommandLine;
using AyaQC.Core.Filtering;
using AyaQC.Filtering;

namespace AyaQC.Cli.Filtering;

/// <summary>
/// <c>ayaqc simulate filter</c>: a simulated assessment with back-translation signals, the agreement model trained on
/// its labelled rows, and the seed talk's three rows decided — each must be dropped for its own reason.
/// </summary>
internal static class SimulateFilterCommand
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Simulated dataset rows", DefaultValueFactory = _ => 3000 };
        var labelled = new Option<double>("--labelled") { Description = "Share of rows with a trusted label", DefaultValueFactory = _ => 0.5 };
        var controls = new Option<int>("--controls") { Description = "Control items the assessors answered (training-only labels)", DefaultValueFactory = _ => 200 };
        var writeRows = new Option<FileInfo?>("--write-rows") { Description = "Also write the simulated feature rows as TSV (id, label, features) for filter train" };
        var options = AgreementOptionsBinder.Options();
        var command = new Command("filter", "Simulate assessment + back-translation, train the agreement model, and check the seed rows are dropped");
        foreach (var o in new Option[] { rows, labelled, controls, writeRows }.Concat(options.All)) command.Options.Add(o);
        command.SetAction(parse => FilterCommands.Run(parse, "simulate filter", () =>
        {
            var o = parse.InvocationConfiguration.Output;
            var agreement = options.Bind(parse);
            var sim = new FilterSimulationOptions { Rows = parse.GetValue(rows), Seed = agreement.Seed, LabelledShare = parse.GetValue(labelled), ControlItems = parse.GetValue(controls) };
            var simulated = FilterSimulation.Generate(sim);
            var table = RowFeatures.Table(simulated.Select(r => (r.Signals, r.TrustedLabel)));
            if (parse.GetValue(writeRows) is { } file)
            {
                using var writer = new StreamWriter(file.FullName);
                FeatureTableWriter.Write(table, writer);
            }
            o.WriteLine(sim.Signature);
            var controlTable = RowFeatures.Table(FilterSimulation.Controls(sim).Select(r => (r.Signals, r.TrustedLabel)));
            var model = AgreementTrainer.Train(table, agreement, trainingOnly: controlTable);
            ModelCardText.Write(model.Card, o);

            var seeds = simulated.Where(r => r.Source != null).ToArray();
            var decisions = model.Decide(RowFeatures.Table(seeds.Select(r => (r.Signals, (bool?)null))));
            o.WriteLine();
            o.WriteLine("the seed talk's rows:");
            var ok = model.Card.CombinedBeatsEach;
            foreach (var (row, d) in seeds.Zip(decisions))
            {
                var expected = row.Error switch { SimulatedError.LiteralName => "crowd_", SimulatedError.WordSense => "bt_|flag_bt", _ => "mt_score" };
                var ownReason = d.Reasons.Count > 0 && expected.Split('|').Any(p => d.Reasons[0].StartsWith(p, StringComparison.Ordinal));
                var pass = d.Decision == Decision.Drop && ownReason;
                ok &= pass;
                o.WriteLine($"{(pass ? "✓" : "✗")} \"{row.Source}\" → \"{row.Translation}\" (back: \"{row.BackTranslation}\"): {FilterApplyCommand.DecisionText(d.Decision)}, p_good {d.PGood:0.000}; {string.Join("; ", d.Reasons)}");
            }
            o.WriteLine(ok ? "✓ combined beats crowd-only and machine-only; every seed row dropped for its own reason" : "✗ see above");
            return ok ? 0 : 1;
        }));
        return command;
    }
}
