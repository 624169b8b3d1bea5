namespace AyaQC.Core.Datasets;

/// <summary>
/// How a dataset row is written in the Aya dataset's shape: <c>inputs</c> = the source text, <c>targets</c> = the
/// row's final target text (its post-edit when it has one, else the translation), <c>language</c> = the target
/// language's English name, <c>language_code</c> = its ISO 639-3 code (the NLLB code without the script),
/// <c>annotation_type</c> = the row's metadata value when it has one, else <c>post-edited</c> or <c>translated</c>.
/// </summary>
public static class AyaShape
{
    static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["eng"] = "English", ["swh"] = "Swahili", ["swa"] = "Swahili", ["zul"] = "Zulu", ["xho"] = "Xhosa", ["yor"] = "Yoruba",
        ["hau"] = "Hausa", ["ibo"] = "Igbo", ["amh"] = "Amharic", ["som"] = "Somali", ["kin"] = "Kinyarwanda", ["lug"] = "Ganda",
        ["wol"] = "Wolof", ["fra"] = "French", ["spa"] = "Spanish", ["por"] = "Portuguese", ["deu"] = "German", ["arb"] = "Arabic",
        ["hin"] = "Hindi", ["ben"] = "Bengali", ["urd"] = "Urdu", ["tur"] = "Turkish", ["ind"] = "Indonesian", ["zho"] = "Chinese",
        ["jpn"] = "Japanese", ["kor"] = "Korean", ["rus"] = "Russian", ["vie"] = "Vietnamese", ["tha"] = "Thai", ["pes"] = "Persian",
    };

    /// <summary>ISO 639-3 part of an NLLB code (<c>swh_Latn</c> → <c>swh</c>).</summary>
    public static string LanguageCode(string nllbCode)
    {
        var cut = nllbCode.IndexOf('_');
        return cut > 0 ? nllbCode[..cut] : nllbCode;
    }

    /// <summary>English name of the language, or its code when the name is not known here.</summary>
    public static string LanguageName(string nllbCode)
    {
        var code = LanguageCode(nllbCode);
        return Names.GetValueOrDefault(code, code);
    }

    public static string Targets(string translation, string? postEdit) => string.IsNullOrEmpty(postEdit) ? translation : postEdit;

    public static string AnnotationType(string? fromMetadata, string? postEdit) =>
        !string.IsNullOrEmpty(fromMetadata) ? fromMetadata : string.IsNullOrEmpty(postEdit) ? "translated" : "post-edited";
}
