using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace AyaQC.Core.Datasets;

/// <summary>How a file's columns become rows: language codes for rows without them, and which columns are numeric
/// signals (those named here and any column ending in <c>_score</c>); every other unknown column is metadata.</summary>
public sealed record DatasetColumns(string? DefaultSourceLang = null, string? DefaultTargetLang = null, IReadOnlyCollection<string>? Signals = null)
{
    public bool IsSignal(string name) =>
        name.EndsWith("_score", StringComparison.Ordinal) || (Signals?.Contains(name, StringComparer.Ordinal) ?? false);
}

/// <summary>A field's value as the file gave it: text, a number (CSV numbers arrive as text), null/empty, or other JSON.</summary>
public readonly record struct FieldValue(FieldKind Kind, string? Text)
{
    public static FieldValue Null => new(FieldKind.Null, null);
}

public enum FieldKind { Null, String, Number, OtherJson }

/// <summary>The one place that decides whether a record is a valid dataset row (both file formats use it).</summary>
public static class DatasetRowRules
{
    public const int MaxTextChars = 100_000;
    public const int MaxIdChars = 200;
    public static readonly IReadOnlySet<string> KnownColumns =
        new HashSet<string>(["id", "source_lang", "target_lang", "source", "translation", "post_edit", "label"], StringComparer.Ordinal);

    public static ParsedRecord Build(int line, IReadOnlyList<KeyValuePair<string, FieldValue>> fields, DatasetColumns columns)
    {
        var problems = new List<RowProblem>();
        string? id = null, sourceLang = null, targetLang = null, source = null, translation = null, postEdit = null, label = null;
        Dictionary<string, double>? signals = null;
        ArrayBufferWriter<byte>? metadata = null;
        Utf8JsonWriter? meta = null;

        foreach (var (name, value) in fields)
        {
            switch (name)
            {
                case "id":
                    if (value.Kind is FieldKind.String or FieldKind.Number && !string.IsNullOrWhiteSpace(value.Text)) id = value.Text!.Trim();
                    else problems.Add(new(line, "id", "must be a non-empty string or number"));
                    break;
                case "source_lang": sourceLang = Text(value, name, line, problems); break;
                case "target_lang": targetLang = Text(value, name, line, problems); break;
                case "source": source = Text(value, name, line, problems); break;
                case "translation": translation = Text(value, name, line, problems); break;
                case "post_edit": postEdit = Text(value, name, line, problems); break;
                case "label": label = Text(value, name, line, problems); break;
                default:
                    if (columns.IsSignal(name))
                    {
                        if (value.Kind == FieldKind.Null || (value.Kind == FieldKind.String && string.IsNullOrWhiteSpace(value.Text))) break;
                        if (value.Kind is FieldKind.Number or FieldKind.String
                            && double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                            (signals ??= new(StringComparer.Ordinal))[name] = number;
                        else problems.Add(new(line, name, $"a signal column must hold a number, not '{Shorten(value.Text)}'"));
                        break;
                    }
                    if (metadata is null)
                    {
                        metadata = new ArrayBufferWriter<byte>(256);
                        meta = new Utf8JsonWriter(metadata, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                        meta.WriteStartObject();
                    }
                    meta!.WritePropertyName(name);
                    switch (value.Kind)
                    {
                        case FieldKind.Null: meta.WriteNullValue(); break;
                        case FieldKind.String: meta.WriteStringValue(value.Text); break;
                        default: meta.WriteRawValue(value.Text!, skipInputValidation: true); break; // already valid JSON
                    }
                    break;
            }
        }

        sourceLang ??= columns.DefaultSourceLang;
        targetLang ??= columns.DefaultTargetLang;
        if (id is { Length: > MaxIdChars }) problems.Add(new(line, "id", $"must be at most {MaxIdChars} characters"));
        Language(sourceLang, "source_lang", line, problems);
        Language(targetLang, "target_lang", line, problems);
        if (id is null && !problems.Any(p => p.Field == "id")) problems.Add(new(line, "id", "is required"));
        if (string.IsNullOrWhiteSpace(source) && !problems.Any(p => p.Field == "source")) problems.Add(new(line, "source", "is required and must not be empty"));
        if (translation is null && !problems.Any(p => p.Field == "translation")) problems.Add(new(line, "translation", "is required"));
        foreach (var (field, text) in new[] { ("source", source), ("translation", translation), ("post_edit", postEdit) })
            if (text is { Length: > MaxTextChars }) problems.Add(new(line, field, $"is longer than {MaxTextChars} characters"));
        if (label is "") label = null;
        if (label is not null and not "good" and not "bad") problems.Add(new(line, "label", $"must be 'good' or 'bad', not '{Shorten(label)}'"));
        if (postEdit is "") postEdit = null;

        string? metadataJson = null;
        if (meta is not null)
        {
            meta.WriteEndObject();
            meta.Flush();
            metadataJson = System.Text.Encoding.UTF8.GetString(metadata!.WrittenSpan);
            meta.Dispose();
        }
        return problems.Count > 0
            ? new ParsedRecord(null, problems)
            : new ParsedRecord(new DatasetRecord(id!, sourceLang!, targetLang!, source!, translation!, postEdit, label, signals, metadataJson, line), []);
    }

    static string? Text(FieldValue value, string field, int line, List<RowProblem> problems)
    {
        if (value.Kind is FieldKind.String or FieldKind.Null) return value.Text;
        problems.Add(new(line, field, "must be a string"));
        return null;
    }

    static void Language(string? code, string field, int line, List<RowProblem> problems)
    {
        if (problems.Any(p => p.Field == field)) return;
        if (string.IsNullOrEmpty(code)) problems.Add(new(line, field, "is required (or give a default for the whole file)"));
        else if (!LooksLikeLanguageCode(code)) problems.Add(new(line, field, $"'{Shorten(code)}' is not a language code shaped like eng_Latn or swh_Latn"));
    }

    /// <summary>ISO 639-3 + '_' + ISO 15924 (FLORES-200, as NLLB writes them). Only the shape is checked here: whether a
    /// model knows the language is for the job to find out, row by row.</summary>
    public static bool LooksLikeLanguageCode(string code) =>
        code.Length == 8 && code[3] == '_' && code[..3].All(char.IsAsciiLetterLower)
        && char.IsAsciiLetterUpper(code[4]) && code[5..].All(char.IsAsciiLetterLower);

    static string Shorten(string? text) => text is null ? "null" : text.Length <= 40 ? text : text[..40] + "…";
}
