namespace AyaQC.Translation.Decoding;

/// <summary>The per-step constraints every search applies (HF's ForcedBOS/ForcedEOS/MinLength processors): the first
/// generated token is the target language, the token at max_length−1 is EOS when the model forces it, and EOS is
/// barred before min_length. <c>curLength</c> counts the tokens so far, decoder start included.</summary>
internal readonly record struct LogitRules(long ForcedFirst, int? ForcedEos, int Eos, int MaxLength, int MinLength)
{
    /// <summary>The token this step must produce, or -1 when the model chooses.</summary>
    public long Forced(int curLength) =>
        curLength == 1 ? ForcedFirst
        : ForcedEos is { } eos && curLength == MaxLength - 1 ? eos
        : -1;

    public bool EosBarred(int curLength) => curLength < MinLength;
}
