using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using AyaQC.Core.Datasets;
using AyaQC.Storage.Filtering;

namespace AyaQC.Server.Apis;

/// <summary>
/// Writes export rows as JSON objects straight from the reader's UTF-8 texts: the same bytes as the published
/// <see cref="AyaQC.Contracts.ExportRecord"/> serialized by System.Text.Json (names, order, nulls, number format,
/// escaping; a test holds the two together), without a string or record per row. A text that needs no escaping is
/// copied as it is; one that does is escaped by System.Text.Json itself. One per export (it keeps buffers).
/// </summary>
public sealed class ExportJsonWriter
{
    // Each property's name with the punctuation before it, as the serializer writes them (no spaces).
    static readonly byte[] Id = Name("{", "id"), Inputs = Name(",", "inputs"), Targets = Name(",", "targets"), Language = Name(",", "language"),
        LanguageCode = Name(",", "language_code"), AnnotationType = Name(",", "annotation_type"), UserId = Name(",", "user_id"),
        Decision = Name(",", "decision"), Overridden = Name(",", "overridden"), PGood = Name(",", "p_good"), Votes = Name(",", "votes"),
        ChrF = Name(",", "chrf"), Hter = Name(",", "hter"), Reasons = Name(",", "reasons"), ModelSignature = Name(",", "model_signature"),
        Cursor = Name(",", "cursor"), Translated = Quoted(AyaShape.AnnotationType(null, null)), PostEdited = Quoted(AyaShape.AnnotationType(null, "x"));

    /// <summary>The bytes the serializer writes as themselves inside a string (asked of System.Text.Json, not listed here).</summary>
    static readonly SearchValues<byte> Plain = SearchValues.Create(Enumerable.Range(0x20, 0x7F - 0x20).Select(b => (byte)b)
        .Where(b => JsonEncodedText.Encode([b]).EncodedUtf8Bytes.Length == 1).ToArray());

    const int MaxNumber = 32, MaxEscapedPerByte = 6; // "\u00XX" for one byte

    readonly ExportMetadata _metadata = new();
    readonly ArrayBufferWriter<byte> _escaped = new(1024);
    readonly Utf8JsonWriter _escaper;
    byte[] _targetLang = [], _languageName = [], _languageCode = [];

    public ExportJsonWriter() => _escaper = new Utf8JsonWriter(_escaped, new JsonWriterOptions { SkipValidation = true });

    static byte[] Name(string before, string name) => Encoding.UTF8.GetBytes($"{before}\"{name}\":");
    static byte[] Quoted(string text) => Encoding.UTF8.GetBytes($"\"{JsonEncodedText.Encode(text)}\"");

    public void Write(IBufferWriter<byte> output, ExportReader r)
    {
        _metadata.Read(r.Utf8(ExportColumn.MetadataJson));
        var id = r.Utf8(ExportColumn.RowId);
        var source = r.Utf8(ExportColumn.Source);
        var postEdit = r.Utf8(ExportColumn.PostEdit);
        var targets = postEdit.IsEmpty ? r.Utf8(ExportColumn.Translation) : postEdit; // AyaShape.Targets
        LanguageOf(r.Utf8(ExportColumn.TargetLang));
        var annotation = _metadata.Annotation; // AyaShape.AnnotationType
        var user = _metadata.User;
        var hasDecision = r.TryUtf8(ExportColumn.Decision, out var decision);
        var hasReasons = r.TryUtf8(ExportColumn.Reasons, out var reasons);
        var hasSignature = r.TryUtf8(ExportColumn.Signature, out var signature);
        var texts = id.Length + source.Length + targets.Length + annotation.Length + user.Length + decision.Length + reasons.Length + signature.Length;

        var o = new RowSpan(output.GetSpan(512 + _languageName.Length + _languageCode.Length + MaxEscapedPerByte * texts + 5 * MaxNumber));
        o.Raw(Id); String(ref o, id);
        o.Raw(Inputs); String(ref o, source);
        o.Raw(Targets); String(ref o, targets);
        o.Raw(Language); o.Raw(_languageName);
        o.Raw(LanguageCode); o.Raw(_languageCode);
        o.Raw(AnnotationType);
        if (!annotation.IsEmpty) String(ref o, annotation); else o.Raw(postEdit.IsEmpty ? Translated : PostEdited);
        o.Raw(UserId);
        if (_metadata.HasUser) String(ref o, user); else o.Raw("null"u8);
        o.Raw(Decision);
        if (hasDecision) String(ref o, decision); else o.Raw("null"u8);
        o.Raw(Overridden); o.Raw(r.Overridden ? "true"u8 : "false"u8);
        o.Raw(PGood); o.Number(r.Number(ExportColumn.PGood));
        o.Raw(Votes); o.Number(r.Votes);
        o.Raw(ChrF); o.Number(r.Number(ExportColumn.ChrF));
        o.Raw(Hter); o.Number(r.Number(ExportColumn.Hter));
        o.Raw(Reasons);
        if (hasReasons) String(ref o, reasons); else o.Raw("null"u8);
        o.Raw(ModelSignature);
        if (hasSignature) String(ref o, signature); else o.Raw("null"u8);
        o.Raw(Cursor); o.Raw("\""u8); o.Number(r.Seq); o.Raw("\"}"u8);
        output.Advance(o.Written);
    }

    void String(ref RowSpan o, ReadOnlySpan<byte> text)
    {
        if (text.IndexOfAnyExcept(Plain) < 0)
        {
            o.Raw("\""u8); o.Raw(text); o.Raw("\""u8);
            return;
        }
        _escaped.ResetWrittenCount();
        _escaper.Reset();
        _escaper.WriteStringValue(text);
        _escaper.Flush();
        o.Raw(_escaped.WrittenSpan);
    }

    /// <summary>Rows of a dataset mostly share one target language: its name and code are worked out (by AyaShape)
    /// when it changes.</summary>
    void LanguageOf(ReadOnlySpan<byte> targetLang)
    {
        if (targetLang.SequenceEqual(_targetLang) && _targetLang.Length > 0) return;
        var code = Encoding.UTF8.GetString(targetLang);
        _targetLang = targetLang.ToArray();
        _languageName = Quoted(AyaShape.LanguageName(code));
        _languageCode = Quoted(AyaShape.LanguageCode(code));
    }

    /// <summary>Where the row is written: a span the output lent, big enough for the row at its longest.</summary>
    ref struct RowSpan(Span<byte> span)
    {
        readonly Span<byte> _span = span;
        public int Written { get; private set; }

        public void Raw(scoped ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_span[Written..]);
            Written += bytes.Length;
        }

        /// <summary>As System.Text.Json writes numbers (Utf8Formatter's shortest round-trip form); null when absent.</summary>
        public void Number(double? value)
        {
            if (value is not { } x) { Raw("null"u8); return; }
            Utf8Formatter.TryFormat(x, _span[Written..], out var n);
            Written += n;
        }

        public void Number(long? value)
        {
            if (value is not { } x) { Raw("null"u8); return; }
            Utf8Formatter.TryFormat(x, _span[Written..], out var n);
            Written += n;
        }
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
