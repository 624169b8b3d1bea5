using AyaQC.Translation.Decoding;
using AyaQC.Translation.Runtime;
using Microsoft.ML.OnnxRuntime;
using AyaQC.Translation.Tokenization;

namespace AyaQC.Translation;

/// <summary>One translated text: the output text, the generated ids (decoder start through EOS) and whether the
/// source was cut to the maximum source length.</summary>
public sealed record TranslationOutput(string Text, long[] Ids, bool SourceTruncated);

/// <summary>NLLB through ONNX Runtime: tokenizes, encodes a padded batch, decodes greedily or with beams, detokenizes.
/// Thread-safe; concurrent calls share the sessions.</summary>
public sealed class NllbTranslator : IDisposable
{
    readonly Seq2SeqOnnxModel _model;

    public NllbTokenizer Tokenizer { get; }
    public Seq2SeqConfig Config => _model.Config;
    public DeviceOutcome Device => _model.Device;
    public NllbModelFolder Files => _model.Files;

    NllbTranslator(Seq2SeqOnnxModel model, NllbTokenizer tokenizer)
    {
        _model = model;
        Tokenizer = tokenizer;
    }

    public static NllbTranslator Load(string folder, OrtSessionSettings? settings = null, DecoderLayout layout = DecoderLayout.Auto)
    {
        var files = NllbModelFolder.Resolve(folder, layout);
        var config = Seq2SeqConfig.Load(folder);
        var tokenizer = NllbTokenizer.Load(files.TokenizerPath);
        if (tokenizer.Size > config.VocabSize)
            throw new ModelFolderException(folder, $"the tokenizer uses {tokenizer.Size} ids but config.json vocab_size is {config.VocabSize}");
        var model = new Seq2SeqOnnxModel(files, config, settings ?? new OrtSessionSettings());
        return new NllbTranslator(model, tokenizer);
    }

    public IReadOnlyList<TranslationOutput> Translate(IReadOnlyList<string> texts, string sourceLanguage, string targetLanguage,
        DecodingOptions? options = null, CancellationToken ct = default)
    {
        options ??= new DecodingOptions();
        var (sources, truncated) = EncodeSources(texts, sourceLanguage, options);
        var ids = Generate(sources, Tokenizer.LanguageId(targetLanguage), options, ct);
        return ids.Select((row, i) => new TranslationOutput(Tokenizer.Decode(row), row, truncated[i])).ToArray();
    }

    /// <summary>Source id rows for the texts, cut to the options' maximum source length (flagged per row).</summary>
    public (long[][] Sources, bool[] Truncated) EncodeSources(IReadOnlyList<string> texts, string sourceLanguage, DecodingOptions options)
    {
        Tokenizer.LanguageId(sourceLanguage);
        var truncated = new bool[texts.Count];
        var sources = new long[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
            sources[i] = Tokenizer.EncodeSource(texts[i], sourceLanguage, options.MaxSourceLength, out truncated[i]);
        return (sources, truncated);
    }

    /// <summary>Decodes NLLB source id rows (<c>[lang] tokens &lt;/s&gt;</c>); each result starts with the decoder
    /// start token and the forced target language.</summary>
    public long[][] Generate(IReadOnlyList<long[]> sources, long forcedFirstToken, DecodingOptions options, CancellationToken ct = default)
    {
        if (sources.Count == 0) return [];
        var c = _model.Config;
        var numBeams = options.NumBeams ?? c.NumBeams;
        if (numBeams < 1) throw new ArgumentOutOfRangeException(nameof(options), "num_beams must be at least 1");
        var rules = new LogitRules(forcedFirstToken, c.ForcedEosId, c.EosId, options.MaxLength ?? c.MaxLength, options.MinLength);

        var rows = sources.Count;
        var width = sources.Max(s => s.Length);
        using var inputIds = HostTensor.Allocate<long>(rows, width);
        using var mask = HostTensor.Allocate<long>(rows, width);
        var ids = inputIds.GetTensorMutableDataAsSpan<long>();
        var m = mask.GetTensorMutableDataAsSpan<long>();
        for (var r = 0; r < rows; r++)
            for (var t = 0; t < width; t++)
            {
                var real = t < sources[r].Length;
                ids[r * width + t] = real ? sources[r][t] : c.PadId;
                m[r * width + t] = real ? 1 : 0;
            }
        // On CUDA the encoder output, the KV cache and the logits stay on the device from the first step to the last.
        var device = _model.BindingMemory;
        using var hidden = _model.Encode(inputIds, mask);
        ct.ThrowIfCancellationRequested();

        // Beam search: each sentence's encoder rows repeated once per beam, [s0, s0, s0, s1, s1, s1, ...].
        var repeated = numBeams > 1 ? Enumerable.Range(0, rows * numBeams).Select(r => (long)(r / numBeams)).ToArray() : null;
        using var beamHidden = repeated != null ? _model.Kernels.GatherRows([hidden], repeated, device)[0] : null;
        using var beamMask = repeated != null ? RepeatMask(mask, sources, repeated, width) : null;
        using var state = new DecoderState(_model, beamHidden ?? hidden, beamMask ?? mask, device);
        var result = numBeams == 1
            ? GreedySearch.Run(state, _model.Kernels, rules, c.DecoderStartId, c.PadId, ct)
            : BeamSearch.Run(state, _model.Kernels, rules, numBeams, options.LengthPenalty ?? c.LengthPenalty,
                options.EarlyStopping ?? c.EarlyStopping, c.DecoderStartId, c.PadId, ct);
        return result.Select(r => r.ToArray()).ToArray();
    }

    static OrtValue RepeatMask(OrtValue mask, IReadOnlyList<long[]> sources, long[] rowSources, int width)
    {
        var repeated = HostTensor.Allocate<long>(rowSources.Length, width);
        var span = repeated.GetTensorMutableDataAsSpan<long>();
        for (var r = 0; r < rowSources.Length; r++)
            for (var t = 0; t < width; t++) span[r * width + t] = t < sources[(int)rowSources[r]].Length ? 1 : 0;
        return repeated;
    }

    public void Dispose()
    {
        _model.Dispose();
    }
}
