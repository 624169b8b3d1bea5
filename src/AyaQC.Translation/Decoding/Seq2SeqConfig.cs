using System.Text.Json;

namespace AyaQC.Translation.Decoding;

/// <summary>The model facts and generation defaults read from config.json, overridden by generation_config.json
/// (the HF layout both Meta's and Xenova's NLLB folders use).</summary>
public sealed record Seq2SeqConfig
{
    public int VocabSize { get; init; }
    public int DModel { get; init; }
    public int DecoderLayers { get; init; }
    public int DecoderHeads { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 1024;
    public int PadId { get; init; } = 1;
    public int EosId { get; init; } = 2;
    public int DecoderStartId { get; init; } = 2;
    public int? ForcedEosId { get; init; }
    public int MaxLength { get; init; } = 200;
    public int NumBeams { get; init; } = 1;
    public double LengthPenalty { get; init; } = 1.0;
    public bool EarlyStopping { get; init; }

    public static Seq2SeqConfig Load(string folder)
    {
        var configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath)) throw new ModelFolderException(folder, "config.json is missing");
        var c = Parse(configPath);
        int Int(JsonElement e, string name, int? fallback = null) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32()
            : fallback ?? throw new ModelFolderException(folder, $"config.json has no integer '{name}'");
        var config = new Seq2SeqConfig
        {
            VocabSize = Int(c, "vocab_size"),
            DModel = Int(c, "d_model"),
            DecoderLayers = Int(c, "decoder_layers"),
            DecoderHeads = Int(c, "decoder_attention_heads"),
            MaxPositionEmbeddings = Int(c, "max_position_embeddings", 1024),
        };
        config = config.WithGeneration(c);
        var genPath = Path.Combine(folder, "generation_config.json");
        if (File.Exists(genPath)) config = config.WithGeneration(Parse(genPath));
        return config;
    }

    Seq2SeqConfig WithGeneration(JsonElement e)
    {
        int? Opt(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
        return this with
        {
            PadId = Opt("pad_token_id") ?? PadId,
            EosId = Opt("eos_token_id") ?? EosId,
            DecoderStartId = Opt("decoder_start_token_id") ?? DecoderStartId,
            ForcedEosId = Opt("forced_eos_token_id") ?? ForcedEosId,
            MaxLength = Opt("max_length") ?? MaxLength,
            NumBeams = Opt("num_beams") ?? NumBeams,
            LengthPenalty = e.TryGetProperty("length_penalty", out var lp) && lp.ValueKind == JsonValueKind.Number ? lp.GetDouble() : LengthPenalty,
            EarlyStopping = e.TryGetProperty("early_stopping", out var es) && es.ValueKind == JsonValueKind.True || EarlyStopping,
        };
    }

    static JsonElement Parse(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.Clone();
        }
        catch (JsonException e) { throw new ModelFolderException(Path.GetDirectoryName(path)!, $"{Path.GetFileName(path)} is not valid JSON: {e.Message}"); }
    }
}

/// <summary>A model folder that cannot be used, with what is wrong in it.</summary>
public sealed class ModelFolderException(string folder, string problem) : Exception($"model folder {folder}: {problem}");
