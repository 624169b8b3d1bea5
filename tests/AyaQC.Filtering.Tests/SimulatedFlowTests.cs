using AyaQC.Core.Filtering;
using Xunit.Abstractions;

namespace AyaQC.Filtering.Tests;

/// <summary>The simulated assessment + back-translation flow: combined signals must beat each alone, and the seed
/// talk's three rows must be dropped, each for its own reason. Control items the same assessors answered join the
/// training part of every fold (as the service's filter job does); the held-out figures stay over dataset rows.</summary>
public class SimulatedFlowTests(ITestOutputHelper output)
{
    internal static FeatureTable Table(IReadOnlyList<SimulatedRow> rows) => RowFeatures.Table(rows.Select(r => (r.Signals, r.TrustedLabel)));

    [Theory]
    [InlineData(2000, 7)]
    [InlineData(3000, 1)] // what `ayaqc simulate filter` runs by default
    public void Combined_beats_crowd_only_and_machine_only_and_drops_the_seed_rows_for_their_own_reasons(int n, int seed)
    {
        var options = new FilterSimulationOptions { Rows = n, Seed = seed };
        var rows = FilterSimulation.Generate(options);
        var controls = FilterSimulation.Controls(options);
        var model = AgreementTrainer.Train(Table(rows), trainingOnly: Table(controls));
        output.WriteLine(model.Card.Verdict);
        Assert.Equal(controls.Count, model.Card.TrainingOnlyRows);
        Assert.Equal(rows.Count(r => r.TrustedLabel.HasValue), model.Card.LabelledRows);
        Assert.All(model.Card.Groups.Where(g => g.Metrics != null), g => Assert.Equal(model.Card.LabelledRows, g.Metrics!.Rows)); // held out: dataset rows only
        output.WriteLine($"thresholds keep {model.Card.KeepThreshold:F3} drop {model.Card.DropThreshold:F3}");
        foreach (var g in model.Card.Groups) output.WriteLine($"{g.Group}: shared-keep caught {g.BadCaughtAtSharedKeep} {g.Metrics}");
        Assert.True(model.Card.CombinedBeatsEach, model.Card.Verdict);

        var seeds = rows.Where(r => r.Source != null).ToArray();
        var decisions = model.Decide(Table(seeds));
        foreach (var d in decisions) output.WriteLine($"{d.Id} {d.PGood:F3} {d.Decision} {string.Join("; ", d.Reasons)}");
        Assert.All(decisions, d => Assert.Equal(Decision.Drop, d.Decision));
        string TopReason(string id) => decisions.Single(d => d.Id == id).Reasons[0];
        Assert.StartsWith("crowd_", TopReason(FilterSimulation.HeartbreakHotel));
        Assert.Matches("^(bt_|flag_bt)", TopReason(FilterSimulation.Aliens));
        Assert.StartsWith("mt_score", TopReason(FilterSimulation.Whisky));
    }
}
