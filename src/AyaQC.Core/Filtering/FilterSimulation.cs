using AyaQC.Core.Metrics;

namespace AyaQC.Core.Filtering;

/// <summary>What went wrong in a simulated row; each kind is visible to different signals.</summary>
public enum SimulatedError
{
    None,
    /// <summary>A name translated literally ("Heartbreak Hotel" → "Hoteli ya Moyo"): back-translation restores the
    /// name, so only people see it.</summary>
    LiteralName,
    /// <summary>A word sense swapped ("aliens" → "wageni", guests): the back-translation drifts; many assessors miss it.</summary>
    WordSense,
    /// <summary>A wrong word form ("Manly" → "Mwanaume", a man): the MT model's own score is low; back-translation and
    /// most assessors read past it.</summary>
    WordForm,
}

public sealed record SimulatedRow(RowSignals Signals, SimulatedError Error, bool? TrustedLabel, string? Source = null,
    string? Translation = null, string? BackTranslation = null)
{
    public bool Good => Error == SimulatedError.None;
}

/// <summary>How a simulated assessment + back-translation run is drawn; every number shows in <see cref="Signature"/>.</summary>
public sealed record FilterSimulationOptions
{
    public int Rows { get; init; } = 3000;
    public int Seed { get; init; } = 1;
    public double BadShare { get; init; } = 0.3;
    /// <summary>Share of rows with a trusted label (control items, expert labels) the model trains on.</summary>
    public double LabelledShare { get; init; } = 0.5;
    public int Assessors { get; init; } = 60;
    public int MinVotes { get; init; } = 3;
    public int MaxVotes { get; init; } = 5;
    /// <summary>Control items (gold-set items with a known answer) the same assessors answered; training-only labels.</summary>
    public int ControlItems { get; init; } = 200;

    public string Signature => $"simfilter|rows:{Rows}|bad:{BadShare}|labelled:{LabelledShare}|controls:{ControlItems}|assessors:{Assessors}|votes:{MinVotes}-{MaxVotes}|seed:{Seed}|version:ayaqc-1";
}

/// <summary>
/// A simulated assessment with back-translation signals: qualified assessors of varying skill vote on rows, each
/// error kind is seen by different signals (people see literal names, back-translation sees sense drift, the MT
/// score sees wrong word forms), plus the seed talk's three rows with their real back-translations and chrF++.
/// </summary>
public static class FilterSimulation
{
    public const string HeartbreakHotel = "seed-heartbreak-hotel", Aliens = "seed-aliens", Whisky = "seed-whisky";

    static readonly ChrF ChrFpp = ChrF.PlusPlus;

    /// <summary>chrF++ of back-translation vs source below which the simulated back-translation check flags a row.</summary>
    public const double BtFlagBelow = 65;

    /// <summary>Share of rows (other than word-sense swaps) whose back-translation equals the source.</summary>
    public const double ExactRoundTrip = 0.15;

    public static IReadOnlyList<SimulatedRow> Generate(FilterSimulationOptions o)
    {
        var rng = new Random(o.Seed);
        var (skill, verified) = Assessors(rng, o);
        var rows = new List<SimulatedRow>(o.Rows + 3);
        for (var r = 0; r < o.Rows; r++)
        {
            var error = rng.NextDouble() >= o.BadShare ? SimulatedError.None : (SimulatedError)(1 + rng.Next(3));
            var votes = Votes(rng, error, skill, verified, rng.Next(o.MinVotes, o.MaxVotes + 1));
            // Some rows come back from back-translation word for word (chrF++ 100, as the seed's "Heartbreak Hotel" does);
            // a literal name does so as often as a good row, so back-translation tells nothing about it.
            var chrf = error != SimulatedError.WordSense && rng.NextDouble() < ExactRoundTrip ? 100
                : Math.Clamp(Normal(rng, error == SimulatedError.WordSense ? 52 : 82, 7), 0, 100);
            var signals = new RowSignals($"row-{r:D6}")
            {
                Votes = votes,
                BackTranslationChrF = chrf,
                BackTranslationLengthRatio = Math.Max(0.05, Normal(rng, error == SimulatedError.WordSense ? 0.95 : 1.0, error == SimulatedError.WordSense ? 0.2 : 0.12)),
                Flags = new Dictionary<string, bool> { ["bt"] = chrf < BtFlagBelow },
                NumericSignals = new Dictionary<string, double?> { ["mt_score"] = Math.Clamp(Normal(rng, error == SimulatedError.WordForm ? 0.38 : 0.72, 0.12), 0, 1) },
            };
            rows.Add(new SimulatedRow(signals, error, rng.NextDouble() < o.LabelledShare ? error == SimulatedError.None : null));
        }
        rows.Add(Seed(HeartbreakHotel, SimulatedError.LiteralName, "Heartbreak Hotel", "Hoteli ya Moyo", "Heartbreak Hotel",
            goodVotes: [false, false, false, false, true], mtScore: 0.74));
        rows.Add(Seed(Aliens, SimulatedError.WordSense, "where do aliens come from", "wageni wanatoka wapi", "where do guests come from",
            goodVotes: [true, true, true, false, false], mtScore: 0.71));
        rows.Add(Seed(Whisky, SimulatedError.WordForm, "Because whisky is Manly.", "Kwa sababu whisky ni Mwanaume", "Because whisky is manly.",
            goodVotes: [true, true, true, false, false], mtScore: 0.24));
        return rows;
    }

    /// <summary>
    /// Control items the same assessors answered: each has its gold label (as <see cref="SimulatedRow.TrustedLabel"/>)
    /// and the crowd's votes, and no machine signal (a gold-set item is not back-translated and has no MT score).
    /// Drawn from their own random stream, so adding them leaves <see cref="Generate"/>'s rows as they were.
    /// </summary>
    public static IReadOnlyList<SimulatedRow> Controls(FilterSimulationOptions o)
    {
        var (skill, verified) = Assessors(new Random(o.Seed), o);
        var rng = new Random(unchecked(o.Seed * 7919 + 17));
        var controls = new List<SimulatedRow>(o.ControlItems);
        for (var c = 0; c < o.ControlItems; c++)
        {
            var error = rng.NextDouble() >= o.BadShare ? SimulatedError.None : (SimulatedError)(1 + rng.Next(3));
            var votes = Votes(rng, error, skill, verified, rng.Next(o.MinVotes, o.MaxVotes + 1));
            controls.Add(new SimulatedRow(new RowSignals($"control-{c:D4}") { Votes = votes }, error, error == SimulatedError.None));
        }
        return controls;
    }

    static (double[] Skill, bool[] Verified) Assessors(Random rng, FilterSimulationOptions o)
    {
        var skill = new double[o.Assessors];
        var verified = new bool[o.Assessors];
        for (var a = 0; a < o.Assessors; a++)
        {
            skill[a] = 0.65 + 0.3 * rng.NextDouble();
            verified[a] = rng.NextDouble() < 0.7;
        }
        return (skill, verified);
    }

    /// <summary>A seed row: its real back-translation scored with chrF++, votes from assessors of typical skill.</summary>
    static SimulatedRow Seed(string id, SimulatedError error, string source, string translation, string back, bool[] goodVotes, double mtScore)
    {
        var chrf = ChrFpp.SentenceScore(back, source);
        var signals = new RowSignals(id)
        {
            Votes = goodVotes.Select((g, i) => new RowVote(g, 0.8 + 0.02 * i, i % 3 != 2)).ToArray(),
            BackTranslationChrF = chrf,
            BackTranslationLengthRatio = (double)back.Length / source.Length,
            Flags = new Dictionary<string, bool> { ["bt"] = chrf < BtFlagBelow },
            NumericSignals = new Dictionary<string, double?> { ["mt_score"] = mtScore },
        };
        return new SimulatedRow(signals, error, null, source, translation, back);
    }

    static RowVote[] Votes(Random rng, SimulatedError error, double[] skill, bool[] verified, int count)
    {
        // How often an assessor notices each error at all; a noticed error is judged with the assessor's skill.
        var visible = error switch { SimulatedError.LiteralName => 0.95, SimulatedError.WordSense => 0.3, SimulatedError.WordForm => 0.3, _ => 0.0 };
        var votes = new RowVote[count];
        var chosen = new HashSet<int>();
        for (var v = 0; v < count; v++)
        {
            int a;
            do a = rng.Next(skill.Length); while (!chosen.Add(a));
            var seesError = error != SimulatedError.None && rng.NextDouble() < visible;
            var right = rng.NextDouble() < skill[a];
            var saysGood = seesError ? !right : right;
            // The skill the platform estimated (from qualification and control items), not the true one.
            var estimated = Math.Clamp(skill[a] + Normal(rng, 0, 0.03), 0.5, 0.99);
            votes[v] = new RowVote(saysGood, estimated, verified[a]);
        }
        return votes;
    }

    static double Normal(Random rng, double mean, double sd)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
