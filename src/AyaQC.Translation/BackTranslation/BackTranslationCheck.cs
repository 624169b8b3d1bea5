using System.Globalization;
using AyaQC.Translation.Decoding;

namespace AyaQC.Translation.BackTranslation;

/// <summary>One row's check: the back-translation of its translation, its similarity to the source, the length ratio
/// (back-translation characters / source characters) and whether the similarity falls below the threshold.</summary>
public sealed record BackTranslationResult(DatasetRow Row, string BackTranslation, double Similarity, double LengthRatio,
    bool Mismatch, bool SourceTruncated);

/// <summary>Flags a translation whose back-translation drifts from the source: translate the row's translation back
/// into the source language and score it against the source (chrF++ by default, 0–100); below
/// <see cref="Threshold"/> is a mismatch.</summary>
public sealed class BackTranslationCheck(NllbTranslator translator, Func<string, string, double> similarity, string similarityName,
    double threshold, DecodingOptions decoding)
{
    public double Threshold { get; } = threshold;

    /// <summary>sacreBLEU-style signature naming every option that decides a result.</summary>
    public string Signature =>
        $"bt|model:{Path.GetFileName(Path.TrimEndingDirectorySeparator(translator.Files.Folder))}|decoder:{(translator.Files.Merged ? "merged" : "split")}" +
        $"|beams:{decoding.NumBeams ?? translator.Config.NumBeams}|lp:{(decoding.LengthPenalty ?? translator.Config.LengthPenalty).ToString(CultureInfo.InvariantCulture)}" +
        $"|maxlen:{decoding.MaxLength ?? translator.Config.MaxLength}|maxsrc:{decoding.MaxSourceLength}" +
        $"|sim:{similarityName}|threshold:{Threshold.ToString(CultureInfo.InvariantCulture)}|version:ayaqc-1";

    public IReadOnlyList<BackTranslationResult> Check(IReadOnlyList<DatasetRow> rows, CancellationToken ct = default)
    {
        var results = new BackTranslationResult[rows.Count];
        // One translation call per language pair in the batch (back-translation goes target → source language).
        foreach (var group in rows.Select((row, index) => (row, index)).GroupBy(x => (x.row.TargetLanguage, x.row.SourceLanguage)))
        {
            var items = group.ToArray();
            var outputs = translator.Translate(items.Select(x => x.row.Translation).ToArray(), group.Key.TargetLanguage,
                group.Key.SourceLanguage, decoding, ct);
            for (var k = 0; k < items.Length; k++)
            {
                var (row, index) = items[k];
                var back = outputs[k].Text;
                var score = similarity(back, row.Source);
                var ratio = row.Source.Length == 0 ? 0 : (double)back.Length / row.Source.Length;
                results[index] = new BackTranslationResult(row, back, score, ratio, score < Threshold, outputs[k].SourceTruncated);
            }
        }
        return results;
    }
}
