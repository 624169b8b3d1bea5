using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using AyaQC.Core.Filtering;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace AyaQC.Filtering;

/// <summary>One row's outcome: calibrated probability of good, the decision, and the features that moved it most.</summary>
public sealed record RowDecision(string Id, double PGood, Decision Decision, IReadOnlyList<string> Reasons);

/// <summary>
/// A trained agreement model: the ML.NET pipeline, the Platt calibration and thresholds from held-out folds, and the
/// card. Saved as one zip holding <c>mlnet.zip</c> (ML.NET's own format) and <c>card.json</c>.
/// </summary>
public sealed class AgreementModel
{
    readonly MLContext _ml;
    readonly ITransformer _model;
    readonly PlattCalibration _calibration;

    internal AgreementModel(MLContext ml, ITransformer model, ModelCard card)
    {
        _ml = ml;
        _model = model;
        Card = card;
        _calibration = new PlattCalibration(card.CalibrationA, card.CalibrationB);
        Thresholds = new DecisionThresholds(card.KeepThreshold, card.DropThreshold);
    }

    public ModelCard Card { get; }

    /// <summary>The same model with where its labels came from recorded on the card (saved with it).</summary>
    public AgreementModel WithLabelSources(IReadOnlyList<LabelSourceCount> sources, string rule) =>
        new(_ml, _model, Card with { LabelSources = sources, LabelRule = rule });
    public DecisionThresholds Thresholds { get; }
    public IReadOnlyList<string> Features => Card.Features.Select(f => f.Feature).ToArray();

    /// <summary>Calibrated p_good per row of a table holding (at least) the model's feature columns.</summary>
    public double[] Probabilities(FeatureTable table)
    {
        var rows = ScoringData.Matrix(table.Select(Features));
        return ScoringData.Scores(_ml, _model, rows, Features.Count).Select(_calibration.Probability).ToArray();
    }

    /// <summary>
    /// Decisions with reasons. A reason is a feature whose value, replaced by its typical value among good rows,
    /// would raise p_good most (for rows not kept), or replaced by its typical value among bad rows would lower it
    /// most (for kept rows): e.g. <c>bt_chrfpp=38.2 (good rows ~71.0) -0.42</c>.
    /// </summary>
    public IReadOnlyList<RowDecision> Decide(FeatureTable table, int reasons = 2)
    {
        var features = Features;
        var rows = ScoringData.Matrix(table.Select(features));
        var width = features.Count;
        var p = ScoringData.Scores(_ml, _model, rows, width).Select(_calibration.Probability).ToArray();
        var decisions = p.Select(Thresholds.Decide).ToArray();
        // One batch with every (row, feature) substitution: rows × features predictions.
        var swapped = new float[rows.Length * width][];
        for (var i = 0; i < rows.Length; i++)
        {
            var reference = decisions[i] == Decision.Keep ? Card.Features.Select(f => f.BadMedian) : Card.Features.Select(f => f.GoodMedian);
            var j = 0;
            foreach (var value in reference)
            {
                var copy = (float[])rows[i].Clone();
                copy[j] = value is { } v ? (float)v : float.NaN;
                swapped[i * width + j] = copy;
                j++;
            }
        }
        var ps = ScoringData.Scores(_ml, _model, swapped, width).Select(_calibration.Probability).ToArray();
        var result = new RowDecision[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var keep = decisions[i] == Decision.Keep;
            var top = Enumerable.Range(0, width)
                .Select(j => (j, effect: p[i] - ps[i * width + j]))        // how much this feature's value moves p_good vs typical
                .Where(x => keep ? x.effect >= 0.005 : x.effect <= -0.005)   // below half a point it would print as 0.00
                .OrderByDescending(x => Math.Abs(x.effect)).ThenBy(x => x.j)
                .Take(reasons)
                .Select(x => Reason(features[x.j], rows[i][x.j], keep ? Card.Features[x.j].BadMedian : Card.Features[x.j].GoodMedian, keep, x.effect))
                .ToArray();
            result[i] = new RowDecision(table.Ids[i], p[i], decisions[i], top);
        }
        return result;
    }

    static string Reason(string feature, float value, double? typical, bool keep, double effect) => string.Create(CultureInfo.InvariantCulture,
        $"{feature}={(float.IsNaN(value) ? "missing" : value.ToString("0.###", CultureInfo.InvariantCulture))} ({(keep ? "bad" : "good")} rows ~{(typical is { } t ? t.ToString("0.###", CultureInfo.InvariantCulture) : "missing")}) {effect:+0.00;-0.00}");

    public void Save(string path)
    {
        using var file = File.Create(path);
        Save(file);
    }

    public void Save(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var entry = zip.CreateEntry("mlnet.zip", CompressionLevel.NoCompression).Open())
            _ml.Model.Save(_model, null, entry);
        using (var entry = zip.CreateEntry("card.json").Open())
            JsonSerializer.Serialize(entry, Card, FilteringJson.Default.ModelCard);
    }

    public static AgreementModel Load(string path)
    {
        using var file = File.OpenRead(path);
        return Load(file, Path.GetFileName(path));
    }

    public static AgreementModel Load(Stream stream, string source = "model")
    {
        var ml = new MLContext(1);
        ml.ComponentCatalog.RegisterAssembly(typeof(LightGbmBinaryModelParameters).Assembly);
        ml.ComponentCatalog.RegisterAssembly(typeof(FastTreeBinaryModelParameters).Assembly);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var cardEntry = zip.GetEntry("card.json") ?? throw new InvalidDataException($"{source}: no card.json (not an AyaQC agreement model)");
            var modelEntry = zip.GetEntry("mlnet.zip") ?? throw new InvalidDataException($"{source}: no mlnet.zip (not an AyaQC agreement model)");
            ModelCard card;
            using (var s = cardEntry.Open())
                card = JsonSerializer.Deserialize(s, FilteringJson.Default.ModelCard) ?? throw new InvalidDataException($"{source}: empty card.json");
            using var buffer = new MemoryStream();
            using (var s = modelEntry.Open()) s.CopyTo(buffer);
            buffer.Position = 0;
            var model = ml.Model.Load(buffer, out _);
            return new AgreementModel(ml, model, card);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}: not a readable model zip ({e.Message})", e);
        }
    }
}
