using System.Globalization;
using System.Text;
using System.Text.Json;
using AyaQC.Core.Datasets;
using AyaQC.Storage.Filtering;

namespace AyaQC.Server.Apis;

/// <summary>
/// Writes export rows as JSON objects straight from the reader's UTF-8 texts: the same bytes as the published
/// <see cref="AyaQC.Contracts.ExportRecord"/> serialized by System.Text.Json (names, order, nulls, number format,
/// escaping; a test holds the two together), without a string or record per row. One per export (it keeps buffers).
/// </summary>
public sealed class ExportJsonWriter
{
    static readonly JsonEncodedText Id = JsonEncodedText.Encode("id"), Inputs = JsonEncodedText.Encode("inputs"),
        Targets = JsonEncodedText.Encode("targets"), Language = JsonEncodedText.Encode("language"),
        LanguageCode = JsonEncodedText.Encode("language_code"), AnnotationType = JsonEncodedText.Encode("annotation_type"),
        UserId = JsonEncodedText.Encode("user_id"), Decision = JsonEncodedText.Encode("decision"),
        Overridden = JsonEncodedText.Encode("overridden"), PGood = JsonEncodedText.Encode("p_good"), Votes = JsonEncodedText.Encode("votes"),
        ChrF = JsonEncodedText.Encode("chrf"), Hter = JsonEncodedText.Encode("hter"), Reasons = JsonEncodedText.Encode("reasons"),
        ModelSignature = JsonEncodedText.Encode("model_signature"), Cursor = JsonEncodedText.Encode("cursor"),
        Translated = JsonEncodedText.Encode(AyaShape.AnnotationType(null, null)), PostEdited = JsonEncodedText.Encode(AyaShape.AnnotationType(null, "x"));

    readonly ExportMetadata _metadata = new();
    byte[] _targetLang = [];
    JsonEncodedText _languageName, _languageCode;

    public void Write(Utf8JsonWriter w, ExportReader r)
    {
        _metadata.Read(r.Utf8(ExportColumn.MetadataJson));
        var postEdit = r.Utf8(ExportColumn.PostEdit);
        w.WriteStartObject();
        w.WriteString(Id, r.Utf8(ExportColumn.RowId));
        w.WriteString(Inputs, r.Utf8(ExportColumn.Source));
        w.WriteString(Targets, postEdit.IsEmpty ? r.Utf8(ExportColumn.Translation) : postEdit); // AyaShape.Targets
        LanguageOf(r.Utf8(ExportColumn.TargetLang));
        w.WriteString(Language, _languageName);
        w.WriteString(LanguageCode, _languageCode);
        if (!_metadata.Annotation.IsEmpty) w.WriteString(AnnotationType, _metadata.Annotation); // AyaShape.AnnotationType
        else w.WriteString(AnnotationType, postEdit.IsEmpty ? Translated : PostEdited);
        if (_metadata.HasUser) w.WriteString(UserId, _metadata.User); else w.WriteNull(UserId);
        Text(w, r, Decision, ExportColumn.Decision);
        w.WriteBoolean(Overridden, r.Overridden);
        Number(w, PGood, r.Number(ExportColumn.PGood));
        if (r.Votes is { } votes) w.WriteNumber(Votes, votes); else w.WriteNull(Votes);
        Number(w, ChrF, r.Number(ExportColumn.ChrF));
        Number(w, Hter, r.Number(ExportColumn.Hter));
        Text(w, r, Reasons, ExportColumn.Reasons);
        Text(w, r, ModelSignature, ExportColumn.Signature);
        Span<byte> seq = stackalloc byte[20];
        r.Seq.TryFormat(seq, out var length, default, CultureInfo.InvariantCulture);
        w.WriteString(Cursor, seq[..length]);
        w.WriteEndObject();
    }

    /// <summary>Rows of a dataset mostly share one target language: its name and code are worked out (by AyaShape)
    /// when it changes.</summary>
    void LanguageOf(ReadOnlySpan<byte> targetLang)
    {
        if (targetLang.SequenceEqual(_targetLang) && _targetLang.Length > 0) return;
        var code = Encoding.UTF8.GetString(targetLang);
        _targetLang = targetLang.ToArray();
        _languageName = JsonEncodedText.Encode(AyaShape.LanguageName(code));
        _languageCode = JsonEncodedText.Encode(AyaShape.LanguageCode(code));
    }

    static void Text(Utf8JsonWriter w, ExportReader r, JsonEncodedText name, ExportColumn column)
    {
        if (r.TryUtf8(column, out var text)) w.WriteString(name, text); else w.WriteNull(name);
    }

    static void Number(Utf8JsonWriter w, JsonEncodedText name, double? value)
    {
        if (value is { } x) w.WriteNumber(name, x); else w.WriteNull(name);
    }
}

/// <summary>
/// <c>user_id</c> and <c>annotation_type</c> of a row's metadata JSON when they are text or a number (the number's
/// text as written), copied as unescaped UTF-8; anything else there counts as absent. The export's one rule for them.
/// </summary>
public sealed class ExportMetadata
{
    byte[] _user = new byte[64], _annotation = new byte[64];
    int _userLength = -1, _annotationLength = -1;

    public bool HasUser => _userLength >= 0;
    public ReadOnlySpan<byte> User => HasUser ? _user.AsSpan(0, _userLength) : [];
    /// <summary>Empty when absent.</summary>
    public ReadOnlySpan<byte> Annotation => _annotationLength > 0 ? _annotation.AsSpan(0, _annotationLength) : [];

    public void Read(ReadOnlySpan<byte> json)
    {
        _userLength = _annotationLength = -1;
        if (json.IsEmpty || (json.IndexOf("user_id"u8) < 0 && json.IndexOf("annotation_type"u8) < 0)) return;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUser = reader.ValueTextEquals("user_id"u8);
            var isAnnotation = !isUser && reader.ValueTextEquals("annotation_type"u8);
            reader.Read();
            if (isUser) _userLength = Copy(ref reader, ref _user);
            else if (isAnnotation) _annotationLength = Copy(ref reader, ref _annotation);
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
        }
    }

    /// <summary>The value's text into <paramref name="buffer"/>: its length, or -1 when it is not text or a number
    /// (a later duplicate key wins, as when the metadata is read into a dictionary).</summary>
    static int Copy(ref Utf8JsonReader reader, ref byte[] buffer)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number)) return -1;
        if (buffer.Length < reader.ValueSpan.Length) buffer = new byte[Math.Max(reader.ValueSpan.Length, buffer.Length * 2)];
        if (reader.TokenType == JsonTokenType.Number || !reader.ValueIsEscaped)
        {
            reader.ValueSpan.CopyTo(buffer);
            return reader.ValueSpan.Length;
        }
        return reader.CopyString(buffer);
    }

    /// <summary>The two values as strings (records and CSV).</summary>
    public (string? UserId, string? Annotation) Strings() =>
        (HasUser ? Encoding.UTF8.GetString(User) : null, _annotationLength >= 0 ? Encoding.UTF8.GetString(_annotation, 0, _annotationLength) : null);
}
