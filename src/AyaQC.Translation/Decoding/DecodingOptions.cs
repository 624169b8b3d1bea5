namespace AyaQC.Translation.Decoding;

/// <summary>How to decode. Nulls take the model's generation_config.json. Lengths count the decoder start token, as
/// HF's max_length/min_length do: at most MaxLength−1 tokens are generated, the last one forced to EOS when the model
/// names a forced_eos_token_id; EOS is suppressed while the sequence is shorter than MinLength.</summary>
public sealed record DecodingOptions
{
    public int? NumBeams { get; init; }
    public double? LengthPenalty { get; init; }
    public int? MaxLength { get; init; }
    public int MinLength { get; init; }
    public bool? EarlyStopping { get; init; }
    /// <summary>Source sequences (language code + tokens + EOS) longer than this keep their first tokens.</summary>
    public int MaxSourceLength { get; init; } = 512;

    /// <summary>Exactly <paramref name="tokens"/> decoder steps per row, whatever the model says (for benchmarks on
    /// random weights, which rarely produce EOS).</summary>
    public static DecodingOptions FixedLength(int tokens, int numBeams = 1) =>
        new() { NumBeams = numBeams, MaxLength = tokens + 1, MinLength = tokens };
}
