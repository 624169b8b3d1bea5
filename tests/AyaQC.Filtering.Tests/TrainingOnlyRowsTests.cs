using AyaQC.Core.Filtering;

namespace AyaQC.Filtering.Tests;

/// <summary>Training-only rows (control items): they join the training part of every fold and the final fit, and
/// never a held-out part, so the card's held-out figures stay over the table's own rows.</summary>
public class TrainingOnlyRowsTests
{
    static readonly AgreementOptions Options = new() { Seed = 5, Folds = 4, Iterations = 40 };
    static readonly FilterSimulationOptions Sim = new() { Rows = 900, Seed = 21, ControlItems = 300 };

    static FeatureTable Controls(Func<SimulatedRow, bool?> label) =>
        RowFeatures.Table(FilterSimulation.Controls(Sim).Select(r => (r.Signals, label(r))));

    [Fact]
    public void Controls_are_trained_on_but_never_held_out_and_a_lying_gold_set_shows_in_the_crowd_only_figures()
    {
        var table = SimulatedFlowTests.Table(FilterSimulation.Generate(Sim));
        var without = AgreementTrainer.Train(table, Options);
        var with = AgreementTrainer.Train(table, Options, trainingOnly: Controls(r => r.Good));
        var lying = AgreementTrainer.Train(table, Options, trainingOnly: Controls(r => !r.Good));

        var labelled = table.Labels.Count(l => l.HasValue);
        foreach (var card in new[] { without.Card, with.Card, lying.Card })
        {
            Assert.Equal(labelled, card.LabelledRows);
            Assert.All(new[] { card.HeldOut, card.TreesHeldOut, card.BaselineHeldOut }, m => Assert.Equal(labelled, m.Rows));
            Assert.All(card.Groups.Where(g => g.Metrics != null), g => Assert.Equal(labelled, g.Metrics!.Rows));
        }
        Assert.Equal(0, without.Card.TrainingOnlyRows);
        Assert.Equal(Sim.ControlItems, with.Card.TrainingOnlyRows);
        Assert.Contains("control items", with.Card.HeldOutScope);
        Assert.NotEqual(without.Card.DataHash, with.Card.DataHash); // the data a model saw includes its controls
        Assert.NotEqual(with.Card.DataHash, lying.Card.DataHash);

        double Auc(AgreementModel m, string group) => m.Card.Groups.Single(g => g.Group == group).Metrics!.Auc;
        // Controls carry crowd features only: a gold set with every answer flipped teaches the crowd-only run the
        // opposite of the truth, which its held-out dataset rows must show...
        Assert.True(Auc(lying, "crowd") < Auc(with, "crowd") - 0.05, $"crowd-only AUC lying {Auc(lying, "crowd")} vs true {Auc(with, "crowd")}");
        // ...while the machine-only run never sees a control (none has a machine value) and is exactly as without them.
        Assert.Equal(without.Card.Groups.Single(g => g.Group == "machine").Metrics, with.Card.Groups.Single(g => g.Group == "machine").Metrics);
    }

    [Fact]
    public void Unlabelled_training_only_rows_are_ignored()
    {
        var table = SimulatedFlowTests.Table(FilterSimulation.Generate(Sim));
        var without = AgreementTrainer.Train(table, Options);
        var unlabelled = AgreementTrainer.Train(table, Options, trainingOnly: Controls(_ => null));
        Assert.Equal(0, unlabelled.Card.TrainingOnlyRows);
        Assert.Equal(without.Card.HeldOut, unlabelled.Card.HeldOut);
    }
}
