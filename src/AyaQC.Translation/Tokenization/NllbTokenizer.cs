using System.Text.Json;

namespace AyaQC.Translation.Tokenization;

/// <summary>NLLB's ids over its SentencePiece BPE model (as fairseq and HF's NllbTokenizer number them): &lt;s&gt;=0,
/// &lt;pad&gt;=1, &lt;/s&gt;=2, &lt;unk&gt;=3, SentencePiece id i≥1 → i+1 (fairseq offset), then one id per language
/// code, then &lt;mask&gt;. A source is <c>[src_lang] tokens &lt;/s&gt;</c> (the current, non-legacy form).</summary>
public sealed class NllbTokenizer
{
    public const int BosId = 0, PadId = 1, EosId = 2, UnkId = 3;
    const int FairseqOffset = 1;

    readonly Dictionary<string, int> _languageIds;

    public SentencePieceBpe Bpe { get; }
    public IReadOnlyList<string> LanguageCodes { get; }
    public int MaskId { get; }
    /// <summary>Number of ids the tokenizer uses (the model's vocabulary may have spare rows beyond).</summary>
    public int Size => MaskId + 1;

    public NllbTokenizer(SentencePieceBpe bpe, IReadOnlyList<string> languageCodes)
    {
        Bpe = bpe;
        LanguageCodes = languageCodes;
        _languageIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < languageCodes.Count; i++) _languageIds[languageCodes[i]] = bpe.Count + FairseqOffset + i;
        MaskId = bpe.Count + FairseqOffset + languageCodes.Count;
    }

    /// <summary>Reads the .model file; language codes come from tokenizer_config.json or special_tokens_map.json
    /// beside it (additional_special_tokens), else NLLB-200's own list.</summary>
    public static NllbTokenizer Load(string modelPath)
    {
        var bpe = SentencePieceBpe.Load(modelPath);
        var dir = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        return new NllbTokenizer(bpe, LanguageCodesBeside(dir) ?? NllbLanguageCodes.All);
    }

    static IReadOnlyList<string>? LanguageCodesBeside(string dir)
    {
        foreach (var name in new[] { "tokenizer_config.json", "special_tokens_map.json" })
        {
            var path = Path.Combine(dir, name);
            if (!File.Exists(path)) continue;
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.TryGetProperty("additional_special_tokens", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var codes = list.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetProperty("content").GetString()!)
                    .ToArray();
                if (codes.Length > 0) return codes;
            }
        }
        return null;
    }

    public int LanguageId(string code) =>
        _languageIds.TryGetValue(code, out var id) ? id
        : throw new ArgumentException($"unknown NLLB language code '{code}' (expected e.g. eng_Latn, swh_Latn; this tokenizer knows {LanguageCodes.Count} codes)");

    public bool IsLanguageId(long id) => id >= Bpe.Count + FairseqOffset && id < MaskId;

    public int ToNllbId(int spmId) => spmId == Bpe.UnknownId ? UnkId : spmId + FairseqOffset;

    /// <summary>Text tokens only, as NLLB ids.</summary>
    public int[] EncodeText(string text) => Bpe.Encode(text).Select(p => ToNllbId(p.Id)).ToArray();

    /// <summary><c>[lang] tokens &lt;/s&gt;</c>; text longer than <paramref name="maxLength"/> ids in all is cut to its
    /// first maxLength−2 tokens (reported through <paramref name="truncated"/>).</summary>
    public long[] EncodeSource(string text, string language, int maxLength, out bool truncated)
    {
        var tokens = EncodeText(text);
        truncated = tokens.Length + 2 > maxLength;
        var kept = truncated ? tokens.AsSpan(0, Math.Max(0, maxLength - 2)) : tokens;
        var ids = new long[kept.Length + 2];
        ids[0] = LanguageId(language);
        for (var i = 0; i < kept.Length; i++) ids[i + 1] = kept[i];
        ids[^1] = EosId;
        return ids;
    }

    /// <summary>Text of generated ids: special ids, language codes, &lt;mask&gt; and ids past the tokenizer are dropped,
    /// pieces joined, ▁ read as a space, ends trimmed (HF's decode with skip_special_tokens).</summary>
    public string Decode(IEnumerable<long> ids)
    {
        var text = new System.Text.StringBuilder();
        foreach (var id in ids)
        {
            if (id <= UnkId || id >= Bpe.Count + FairseqOffset) continue;
            text.Append(Bpe.IdToPiece((int)id - FairseqOffset));
        }
        return text.Replace(SentencePieceNormalizer.SpaceSymbol, ' ').ToString().Trim();
    }
}
