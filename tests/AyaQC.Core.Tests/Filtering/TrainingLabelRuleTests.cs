using AyaQC.Core.Filtering;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Filtering;

/// <summary>The rule that turns a lead's override, a dataset label and an accepted post-edit's HTER into a training
/// label, and an answered control item into a training-only one.</summary>
public class TrainingLabelRuleTests
{
    sealed record Judgments(string? Expert, string? Dataset, double? Hter, double BadAbove);

    static readonly Gen<double?> Hters = Gen.OneOf(
        Gen.Constant<double?>(null), Gen.Constant<double?>(0),
        Gen.Choose(1, 2500).Select(n => (double?)(n / 1000.0)),            // 0.001 … 2.5
        Gen.Choose(1, 20).Select(n => (double?)(n / 20.0)));               // exactly on common thresholds

    static Arbitrary<Judgments> All() =>
        (from expert in Gen.Elements<string?>(null, "keep", "drop", "review", "Keep")
         from dataset in Gen.Elements<string?>(null, "good", "bad", "", "unsure")
         from hter in Hters
         from badAbove in Gen.Choose(1, 40).Select(n => n / 20.0)       // 0.05 … 2
         select new Judgments(expert, dataset, hter, badAbove)).ToArbitrary();

    static (bool? Label, string? Source) Of(Judgments j) => new TrainingLabelRule(j.BadAbove).Of(j.Expert, j.Dataset, j.Hter);

    [Property(MaxTest = 500)]
    public Property A_label_always_comes_with_its_source_and_the_source_is_known() =>
        Prop.ForAll(All(), j =>
        {
            var (label, source) = Of(j);
            return label is null ? source is null : source is not null && LabelSources.All.Contains(source);
        });

    [Property(MaxTest = 500)]
    public Property A_leads_keep_or_drop_wins_over_everything_else() =>
        Prop.ForAll(All(), j => j.Expert switch
        {
            "keep" => Of(j) == (true, LabelSources.Expert),
            "drop" => Of(j) == (false, LabelSources.Expert),
            _ => Of(j).Source != LabelSources.Expert,
        });

    [Property(MaxTest = 500)]
    public Property Without_an_override_a_good_or_bad_dataset_label_wins_over_the_post_edit() =>
        Prop.ForAll(All(), j =>
        {
            if (j.Expert is "keep" or "drop") return true;
            return j.Dataset switch
            {
                "good" => Of(j) == (true, LabelSources.Dataset),
                "bad" => Of(j) == (false, LabelSources.Dataset),
                _ => Of(j).Source != LabelSources.Dataset,
            };
        });

    [Property(MaxTest = 500)]
    public Property A_post_edit_labels_only_an_untouched_or_a_heavily_edited_translation() =>
        Prop.ForAll(All(), j =>
        {
            var j2 = j with { Expert = null, Dataset = null };
            var expected = j2.Hter switch
            {
                null => ((bool?)null, (string?)null),
                0 => (true, LabelSources.PostEdit),
                { } h when h > j2.BadAbove => (false, LabelSources.PostEdit),
                _ => ((bool?)null, (string?)null),
            };
            return Of(j2) == expected;
        });

    [Property(MaxTest = 300)]
    public Property A_stricter_threshold_never_takes_away_a_bad_label() =>
        Prop.ForAll(All(), Gen.Choose(1, 40).Select(n => n / 20.0).ToArbitrary(), (j, other) =>
        {
            var (loose, strict) = (Math.Max(j.BadAbove, other), Math.Min(j.BadAbove, other));
            var atLoose = new TrainingLabelRule(loose).Of(j.Expert, j.Dataset, j.Hter);
            var atStrict = new TrainingLabelRule(strict).Of(j.Expert, j.Dataset, j.Hter);
            return atLoose.Label != false || atStrict.Label == false;
        });

    [Fact]
    public void The_signature_names_the_order_and_the_threshold()
    {
        Assert.Equal("labels:expert>dataset>post-edit(hter=0:good,hter>0.3:bad)+control(gold,answered,train-only)", new TrainingLabelRule().Signature);
        Assert.Contains("hter>0.45:bad", new TrainingLabelRule(0.45).Signature);
        Assert.Equal((null, null), new TrainingLabelRule().Of("review", null, 0.2));
        Assert.Equal((false, LabelSources.PostEdit), new TrainingLabelRule().Of("review", null, 0.31));
    }

    [Property(MaxTest = 300)]
    public Property An_answered_control_gives_exactly_its_gold_label_an_unanswered_one_none_whatever_the_threshold() =>
        Prop.ForAll(Gen.Choose(0, 40).ToArbitrary(), Gen.Choose(1, 40).Select(n => n / 20.0).ToArbitrary(), (votes, badAbove) =>
        {
            var rule = new TrainingLabelRule(badAbove);
            return votes == 0
                ? rule.OfControl(true, 0) == (null, null) && rule.OfControl(false, 0) == (null, null)
                : rule.OfControl(true, votes) == (true, LabelSources.Control) && rule.OfControl(false, votes) == (false, LabelSources.Control);
        });

    [Property(MaxTest = 500)]
    public Property Only_control_labels_are_kept_out_of_the_held_out_part_and_a_dataset_row_never_gets_one() =>
        Prop.ForAll(All(), j => Of(j).Source is not { } source || (source != LabelSources.Control && TrainingLabelRule.HeldOut(source)))
        .And(LabelSources.All.All(s => TrainingLabelRule.HeldOut(s) == (s != LabelSources.Control)));
}
