namespace AyaQC.Core.Qualification;

/// <summary>The kinds of error a bad translation in a gold set is labelled with.</summary>
public static class ErrorTypes
{
    public const string Mistranslation = "mistranslation";
    /// <summary>A word rendered in the wrong sense ("aliens" → "wageni", guests).</summary>
    public const string WordSense = "word_sense";
    /// <summary>An idiom or a name rendered word by word ("Heartbreak Hotel" → "Hoteli ya Moyo").</summary>
    public const string LiteralRendering = "literal_rendering";
    public const string Omission = "omission";
    public const string Addition = "addition";
    /// <summary>Left in the source language, or put into a wrong language.</summary>
    public const string Untranslated = "untranslated";
    /// <summary>Grammar, including noun-class agreement.</summary>
    public const string Grammar = "grammar";
    public const string NamedEntity = "named_entity";
    public const string NumberDateUnit = "number_date_unit";

    public static IReadOnlyList<string> All { get; } =
    [
        Mistranslation, WordSense, LiteralRendering, Omission, Addition,
        Untranslated, Grammar, NamedEntity, NumberDateUnit,
    ];

    public static bool IsKnown(string? code) => code is not null && All.Contains(code);
}
