using System.Globalization;
using System.Text;
using AyaQC.Core.Metrics;

namespace AyaQC.Core.Datasets;

/// <summary>Thresholds of the mismatch flags. chrF++ values are 0–100; ratios are translation characters / source characters.</summary>
public sealed record FlagOptions
{
    /// <summary>Back-translation vs source chrF++ below this: <see cref="RowFlags.LowSimilarity"/>.</summary>
    public double MinChrF { get; init; } = 35;
    /// <summary>Translation vs source chrF++ at or above this (or equal texts): <see cref="RowFlags.CopiedSource"/>.</summary>
    public double CopiedChrF { get; init; } = 90;
    /// <summary>Share of the translation's letters in the target language's script below this: <see cref="RowFlags.WrongScript"/>.</summary>
    public double MinScriptShare { get; init; } = 0.5;
    public double MinLengthRatio { get; init; } = 0.33;
    public double MaxLengthRatio { get; init; } = 3.0;
    /// <summary>A translation shorter than this share of a source that ends a sentence, without ending one itself, looks cut off.</summary>
    public double TruncatedLengthRatio { get; init; } = 0.6;

    public string Signature => string.Create(CultureInfo.InvariantCulture,
        $"minchrf:{MinChrF}|copied:{CopiedChrF}|script:{MinScriptShare}|ratio:{MinLengthRatio}-{MaxLengthRatio}|trunc:{TruncatedLengthRatio}");
}

public readonly record struct RaisedFlag(string Flag, string Reason);

/// <summary>A row's check: chrF++ of the back-translation against the source, the length ratio, and the flags raised.</summary>
public sealed record RowCheck(double ChrF, double LengthRatio, IReadOnlyList<RaisedFlag> Flags);

/// <summary>The mismatch flags, each with the reason it was raised. Pure: texts in, flags out.</summary>
public static class MismatchFlags
{
    static readonly ChrF Similarity = ChrF.PlusPlus;

    public static string SimilarityName => "chrF++";

    public static RowCheck Evaluate(string source, string translation, string backTranslation, string targetLang, FlagOptions o)
    {
        var flags = new List<RaisedFlag>();
        var chrf = Similarity.SentenceScore(backTranslation, source);
        var sourceLength = source.Trim().Length;
        var translated = translation.Trim();
        var ratio = sourceLength == 0 ? 0 : (double)translated.Length / sourceLength;

        if (chrf < o.MinChrF)
            flags.Add(new(RowFlags.LowSimilarity, F($"back-translation chrF++ {chrf:0.0} is below {o.MinChrF}")));

        if (translated.Length > 0)
        {
            if (string.Equals(Normalize(translated), Normalize(source), StringComparison.Ordinal))
                flags.Add(new(RowFlags.CopiedSource, "the translation is the source text unchanged"));
            else if (Similarity.SentenceScore(translated, source) is var copy && copy >= o.CopiedChrF)
                flags.Add(new(RowFlags.CopiedSource, F($"the translation matches the source at chrF++ {copy:0.0} (at least {o.CopiedChrF})")));
        }

        if (Scripts.ShareInScript(translated, targetLang) is { } share && share < o.MinScriptShare)
            flags.Add(new(RowFlags.WrongScript, F($"{share:P0} of the translation's letters are in {Scripts.ScriptOf(targetLang)}, the script of {targetLang} (at least {o.MinScriptShare:P0} expected)")));

        var (onlySource, onlyTranslation) = Numbers.Difference(source, translation);
        if (onlySource.Count + onlyTranslation.Count > 0)
            flags.Add(new(RowFlags.NumberMismatch, string.Join("; ", new[]
            {
                onlySource.Count > 0 ? $"only in the source: {string.Join(", ", onlySource)}" : null,
                onlyTranslation.Count > 0 ? $"only in the translation: {string.Join(", ", onlyTranslation)}" : null,
            }.Where(s => s is not null))));

        if (translated.Length == 0)
            flags.Add(new(RowFlags.EmptyOrTruncated, "the translation is empty"));
        else if (backTranslation.Trim().Length == 0)
            flags.Add(new(RowFlags.EmptyOrTruncated, "the back-translation is empty"));
        else if (ratio < o.TruncatedLengthRatio && EndsSentence(source) && !EndsSentence(translated))
            flags.Add(new(RowFlags.EmptyOrTruncated, F($"the translation stops mid-sentence at {ratio:P0} of the source's length")));

        if (translated.Length > 0 && sourceLength > 0 && (ratio < o.MinLengthRatio || ratio > o.MaxLengthRatio))
            flags.Add(new(RowFlags.ExtremeLengthRatio, F($"the translation is {ratio:0.00}× the source's length (expected {o.MinLengthRatio}–{o.MaxLengthRatio}×)")));

        return new RowCheck(chrf, ratio, flags);
    }

    static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    static string Normalize(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
            if (char.IsLetterOrDigit(c)) b.Append(char.ToLowerInvariant(c));
        return b.ToString();
    }

    static bool EndsSentence(string s) => s.TrimEnd() is { Length: > 0 } t && t[^1] is '.' or '!' or '?' or '。' or '؟' or '।' or '"' or '”' or ')';
}

/// <summary>Numbers (and so dates, times, amounts) in a text: maximal digit runs, with a separator between digits
/// (1,000 / 1.000 / 1 000 / 12:30 / 2024-05-01) ignored so the same number written two ways matches.</summary>
public static class Numbers
{
    public static IReadOnlyList<string> Extract(string text)
    {
        var found = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c)) current.Append(c);
            else if (current.Length > 0 && c is ',' or '.' or ' ' or ':' or '-' or '/' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])) continue;
            else if (current.Length > 0) { found.Add(current.ToString()); current.Clear(); }
        }
        if (current.Length > 0) found.Add(current.ToString());
        return found;
    }

    /// <summary>Numbers in one text and not the other, as multisets (a number twice in one and once in the other counts).</summary>
    public static (IReadOnlyList<string> OnlyFirst, IReadOnlyList<string> OnlySecond) Difference(string first, string second)
    {
        var a = Extract(first).ToList();
        var b = Extract(second).ToList();
        var onlyA = new List<string>();
        foreach (var n in a)
            if (!b.Remove(n)) onlyA.Add(n);
        return (onlyA, b);
    }
}

/// <summary>Which script a FLORES-200 code names (its part after '_'), and how much of a text's letters are in it.</summary>
public static class Scripts
{
    public static string ScriptOf(string languageCode) => languageCode.Length > 4 && languageCode[^5] == '_' ? languageCode[^4..] : "";

    /// <summary>Share (0–1) of the letters that belong to the code's script; null when the text has no letters or the
    /// script is not one we can check.</summary>
    public static double? ShareInScript(string text, string languageCode)
    {
        Func<int, bool>? inScript = ScriptOf(languageCode) switch
        {
            "Latn" => cp => cp is >= 0x41 and <= 0x24F or >= 0x1E00 and <= 0x1EFF,
            "Cyrl" => cp => cp is >= 0x400 and <= 0x52F,
            "Arab" => cp => cp is >= 0x600 and <= 0x6FF or >= 0x750 and <= 0x77F or >= 0x8A0 and <= 0x8FF or >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF,
            "Deva" => cp => cp is >= 0x900 and <= 0x97F,
            "Beng" => cp => cp is >= 0x980 and <= 0x9FF,
            "Ethi" => cp => cp is >= 0x1200 and <= 0x139F or >= 0x2D80 and <= 0x2DDF,
            "Grek" => cp => cp is >= 0x370 and <= 0x3FF or >= 0x1F00 and <= 0x1FFF,
            "Hebr" => cp => cp is >= 0x590 and <= 0x5FF,
            "Thai" => cp => cp is >= 0xE00 and <= 0xE7F,
            "Hang" => cp => cp is >= 0xAC00 and <= 0xD7AF or >= 0x1100 and <= 0x11FF or >= 0x3130 and <= 0x318F,
            "Hans" or "Hant" => cp => cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF,
            "Jpan" => cp => cp is >= 0x4E00 and <= 0x9FFF or >= 0x3040 and <= 0x30FF,
            _ => null,
        };
        if (inScript is null) return null;
        int letters = 0, matching = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!System.Text.Rune.IsLetter(rune)) continue;
            letters++;
            if (inScript(rune.Value)) matching++;
        }
        return letters == 0 ? null : (double)matching / letters;
    }
}
