namespace AyaQC.Core.Datasets;

/// <summary>The mismatch flags a back-translation check can raise on a row, by stable code.</summary>
public static class RowFlags
{
    /// <summary>chrF++ of the back-translation against the source is below the threshold.</summary>
    public const string LowSimilarity = "low_similarity";
    /// <summary>The translation is (nearly) the source itself: untranslated or copied.</summary>
    public const string CopiedSource = "copied_source";
    /// <summary>Too few of the translation's letters are in the target language's script.</summary>
    public const string WrongScript = "wrong_script";
    /// <summary>A number or date appears on one side only.</summary>
    public const string NumberMismatch = "number_mismatch";
    /// <summary>The translation is empty, or much shorter than the source (cut off).</summary>
    public const string EmptyOrTruncated = "empty_or_truncated";
    /// <summary>The translation is far longer or shorter than the source.</summary>
    public const string ExtremeLengthRatio = "extreme_length_ratio";

    public static readonly IReadOnlyList<string> All =
        [LowSimilarity, CopiedSource, WrongScript, NumberMismatch, EmptyOrTruncated, ExtremeLengthRatio];
}
