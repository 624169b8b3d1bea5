using AyaQC.Core.Metrics;

namespace AyaQC.Core.Assessment;

/// <summary>
/// HTER of a post-edit: TER of the machine translation against the assessor's post-edit (the edits the human
/// needed, per reference word), with the TER options in the signature.
/// </summary>
public sealed class PostEditScore(TerOptions? options = null)
{
    readonly TranslationEditRate _ter = new(options);

    public string Signature => "hter|" + _ter.Signature;

    /// <summary>HTER ×100 of <paramref name="machineTranslation"/> against <paramref name="postEdit"/>.</summary>
    public double Hter(string machineTranslation, string postEdit) => _ter.SentenceScore(machineTranslation, postEdit);
}
