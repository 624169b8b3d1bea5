using AyaQC.Core.Datasets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Datasets;

public class MismatchFlagsTests
{
    static readonly FlagOptions Defaults = new();

    [Property(MaxTest = 300)]
    public Property Flags_are_known_distinct_and_each_has_a_reason(NonEmptyString source, string translation, string back)
    {
        var check = MismatchFlags.Evaluate(source.Get, translation ?? "", back ?? "", "swh_Latn", Defaults);
        return (check.Flags.All(f => RowFlags.All.Contains(f.Flag) && f.Reason.Length > 0)
                && check.Flags.Select(f => f.Flag).Distinct().Count() == check.Flags.Count
                && check.ChrF is >= 0 and <= 100 && check.LengthRatio >= 0).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property A_higher_similarity_threshold_never_clears_a_low_similarity_flag(NonEmptyString source, NonEmptyString back, PositiveInt raise)
    {
        bool Low(double min) => MismatchFlags.Evaluate(source.Get, "x", back.Get, "swh_Latn", Defaults with { MinChrF = min })
            .Flags.Any(f => f.Flag == RowFlags.LowSimilarity);
        return (!Low(20) || Low(20 + raise.Get % 80)).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property Numbers_in_one_side_only_are_found_both_ways(NonEmptyString text, PositiveInt n)
    {
        var a = $"{text.Get} {n.Get}";
        var b = text.Get;
        var (onlyA, onlyB) = Numbers.Difference(a, b);
        var (onlyB2, onlyA2) = Numbers.Difference(b, a);
        return (onlyA.SequenceEqual(onlyA2) && onlyB.SequenceEqual(onlyB2)).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property A_translation_equal_to_its_source_is_copied(NonEmptyString source)
    {
        var s = source.Get;
        var flags = MismatchFlags.Evaluate(s, s, s, "swh_Latn", Defaults).Flags;
        return (!s.Any(char.IsLetterOrDigit) || flags.Any(f => f.Flag == RowFlags.CopiedSource)).ToProperty();
    }

    [Fact]
    public void The_seed_talk_rows_and_each_flaw()
    {
        string[] Flags(string s, string t, string b, string lang = "swh_Latn") =>
            MismatchFlags.Evaluate(s, t, b, lang, Defaults).Flags.Select(f => f.Flag).ToArray();

        Assert.Empty(Flags("where do aliens come from", "wageni wanatoka wapi", "where do aliens come from"));
        Assert.Contains(RowFlags.LowSimilarity, Flags("Heartbreak Hotel", "Hoteli ya Moyo", "Hotel of the Heart"));
        Assert.Contains(RowFlags.CopiedSource, Flags("Because whisky is Manly.", "Because whisky is Manly.", "Because whisky is Manly."));
        Assert.Contains(RowFlags.WrongScript, Flags("The market opens at dawn.", "Рынок открывается на рассвете.", "The market opens at dawn."));
        Assert.Contains(RowFlags.NumberMismatch, Flags("We sold 1,200 bags in 2023.", "Tuliuza mifuko 1200 mwaka 2024.", "We sold 1200 bags in 2024."));
        Assert.DoesNotContain(RowFlags.NumberMismatch, Flags("We sold 1,200 bags.", "Tuliuza mifuko 1.200.", "We sold 1,200 bags."));
        Assert.Contains(RowFlags.EmptyOrTruncated, Flags("Hello there.", "", ""));
        Assert.Contains(RowFlags.EmptyOrTruncated, Flags("The children walked to the big school by the river.", "Watoto walitembea", "The children walked"));
        Assert.Contains(RowFlags.ExtremeLengthRatio, Flags("Yes.", "Ndiyo, ndiyo, hakika kabisa, bila shaka yoyote ile.", "Yes, yes, certainly."));
        Assert.Equal("minchrf:35|copied:90|script:0.5|ratio:0.33-3|trunc:0.6", Defaults.Signature);
    }
}
