namespace AyaQC.Translation.Decoding;

public enum DecoderLayout { Auto, Merged, Split }

/// <summary>The files of an Optimum/Xenova NLLB export: config.json, generation_config.json, sentencepiece.bpe.model,
/// and under onnx/ (or the folder itself) encoder_model.onnx with decoder_model_merged.onnx, or decoder_model.onnx
/// with decoder_with_past_model.onnx.</summary>
public sealed record NllbModelFolder(string Folder, string TokenizerPath, string EncoderPath, string? MergedDecoderPath,
    string? DecoderPath, string? DecoderWithPastPath)
{
    public bool Merged => MergedDecoderPath != null;

    public static NllbModelFolder Resolve(string folder, DecoderLayout layout = DecoderLayout.Auto)
    {
        if (!Directory.Exists(folder)) throw new ModelFolderException(folder, "no such folder");
        var onnxDir = File.Exists(Path.Combine(folder, "onnx", "encoder_model.onnx")) ? Path.Combine(folder, "onnx") : folder;
        string? Find(string name) => File.Exists(Path.Combine(onnxDir, name)) ? Path.Combine(onnxDir, name) : null;
        var where = onnxDir == folder ? $"{folder}/onnx/ or {folder}/" : onnxDir + "/";

        var tokenizer = Path.Combine(folder, "sentencepiece.bpe.model");
        if (!File.Exists(tokenizer))
            throw new ModelFolderException(folder, "sentencepiece.bpe.model is missing (NLLB's SentencePiece model; copy it from the facebook/nllb-200 repository)");
        var encoder = Find("encoder_model.onnx") ?? throw new ModelFolderException(folder, $"encoder_model.onnx is missing (looked in {where})");
        var merged = Find("decoder_model_merged.onnx");
        var (plain, withPast) = (Find("decoder_model.onnx"), Find("decoder_with_past_model.onnx"));
        var splitOk = plain != null && withPast != null;
        return layout switch
        {
            DecoderLayout.Merged when merged == null => throw new ModelFolderException(folder, $"decoder_model_merged.onnx is missing (looked in {where})"),
            DecoderLayout.Split when !splitOk => throw new ModelFolderException(folder, $"{(plain == null ? "decoder_model.onnx" : "decoder_with_past_model.onnx")} is missing (looked in {where})"),
            DecoderLayout.Split => new(folder, tokenizer, encoder, null, plain, withPast),
            _ when merged != null => new(folder, tokenizer, encoder, merged, null, null),
            _ when splitOk => new(folder, tokenizer, encoder, null, plain, withPast),
            _ => throw new ModelFolderException(folder,
                $"no decoder: expected decoder_model_merged.onnx, or decoder_model.onnx with decoder_with_past_model.onnx, in {where}"),
        };
    }
}
