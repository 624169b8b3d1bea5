using AyaQC.Translation.Decoding;
using AyaQC.Translation.Onnx;
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
    readonly OrtDeviceMemory _host;
    readonly OrtDeviceMemory? _device;

    public NllbTokenizer Tokenizer { get; }
    public Seq2SeqConfig Config => _model.Config;
    public DeviceOutcome Device => _model.Device;
    public NllbModelFolder Files => _model.Files;

    NllbTranslator(Seq2SeqOnnxModel model, NllbTokenizer tokenizer)
    {
        _model = model;
        Tokenizer = tokenizer;
        _host = OrtDeviceMemory.Host();
        _device = model.Device.OnCuda ? OrtDeviceMemory.Cuda(model.Device.DeviceId) : null;
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
        using var inputIds = OrtValue.Allocate<long>(rows, width);
        using var mask = OrtValue.Allocate<long>(rows, width);
        var ids = inputIds.Span<long>();
        var m = mask.Span<long>();
        for (var r = 0; r < rows; r++)
            for (var t = 0; t < width; t++)
            {
                var real = t < sources[r].Length;
                ids[r * width + t] = real ? sources[r][t] : c.PadId;
                m[r * width + t] = real ? 1 : 0;
            }
        // On CUDA, greedy decoding keeps the encoder output and the KV cache on the device; beam search repeats
        // and reorders rows on the host.
        var deviceMemory = _device != null && numBeams == 1 ? _device : _host;
        using var hidden = _model.Encode(inputIds, mask, deviceMemory);
        ct.ThrowIfCancellationRequested();

        using var beamHidden = numBeams > 1 ? RepeatRows(hidden, numBeams) : null;
        using var beamMask = numBeams > 1 ? RepeatRows(mask, numBeams) : null;
        var kvMemory = deviceMemory;
        using var state = new DecoderState(_model, beamHidden ?? hidden, beamMask ?? mask, kvMemory, _device ?? _host);
        var result = numBeams == 1
            ? GreedySearch.Run(state, _model.Reducer, rules, c.DecoderStartId, c.PadId, ct)
            : BeamSearch.Run(state, _model.Reducer, rules, numBeams, options.LengthPenalty ?? c.LengthPenalty,
                options.EarlyStopping ?? c.EarlyStopping, c.DecoderStartId, c.PadId, ct);
        return result.Select(r => r.ToArray()).ToArray();
    }

    static OrtValue RepeatRows(OrtValue value, int times)
    {
        var shape = (long[])value.Shape.Clone();
        var rows = (int)shape[0];
        shape[0] *= times;
        var block = (int)(value.ElementCount / rows);
        if (value.ElementType == OrtApi.Float) return Repeat<float>(value, shape, rows, block, times);
        return Repeat<long>(value, shape, rows, block, times);
    }

    static OrtValue Repeat<T>(OrtValue value, long[] shape, int rows, int block, int times) where T : unmanaged
    {
        var result = OrtValue.Allocate<T>(shape);
        var from = value.Span<T>();
        var to = result.Span<T>();
        for (var r = 0; r < rows; r++)
            for (var k = 0; k < times; k++)
                from.Slice(r * block, block).CopyTo(to.Slice((r * times + k) * block, block));
        return result;
    }

    public void Dispose()
    {
        _model.Dispose();
        _host.Dispose();
        _device?.Dispose();
    }
}
