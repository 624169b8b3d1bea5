using AyaQC.Translation.Decoding;

namespace AyaQC.Translation.Tests;

public class ModelFolderTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "ayaqc-model-" + Guid.NewGuid().ToString("N"));

    public ModelFolderTests() => CopyDirectory(FixturePaths.TinyModel, _dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)));
    }

    ModelFolderException LoadFails(DecoderLayout layout = DecoderLayout.Auto) =>
        Assert.Throws<ModelFolderException>(() => NllbTranslator.Load(_dir, layout: layout).Dispose());

    [Fact]
    public void The_copied_folder_loads()
    {
        using var t = NllbTranslator.Load(_dir);
        Assert.True(t.Files.Merged);
        Assert.Equal("CPU", t.Device.Provider);
    }

    [Fact]
    public void Missing_encoder_is_named()
    {
        File.Delete(Path.Combine(_dir, "onnx", "encoder_model.onnx"));
        Assert.Contains("encoder_model.onnx is missing", LoadFails().Message);
    }

    [Fact]
    public void Missing_decoders_are_named()
    {
        File.Delete(Path.Combine(_dir, "onnx", "decoder_model_merged.onnx"));
        File.Delete(Path.Combine(_dir, "onnx", "decoder_with_past_model.onnx"));
        Assert.Contains("no decoder", LoadFails().Message);
        Assert.Contains("decoder_with_past_model.onnx is missing", LoadFails(DecoderLayout.Split).Message);
    }

    [Fact]
    public void Without_the_merged_decoder_the_split_pair_is_used()
    {
        File.Delete(Path.Combine(_dir, "onnx", "decoder_model_merged.onnx"));
        using var t = NllbTranslator.Load(_dir);
        Assert.False(t.Files.Merged);
        Assert.Equal(TorchReference.Instance.Greedy, t.Generate(TorchReference.Instance.Sources, TorchReference.Instance.ForcedBos, new DecodingOptions()));
    }

    [Fact]
    public void Missing_config_and_tokenizer_are_named()
    {
        File.Delete(Path.Combine(_dir, "sentencepiece.bpe.model"));
        Assert.Contains("sentencepiece.bpe.model is missing", LoadFails().Message);
        File.Delete(Path.Combine(_dir, "config.json"));
        File.Copy(FixturePaths.SpmModel, Path.Combine(_dir, "sentencepiece.bpe.model"));
        Assert.Contains("config.json is missing", LoadFails().Message);
    }

    [Fact]
    public void Wrong_input_names_are_listed()
    {
        // An encoder where the merged decoder should be: none of the decoder's inputs are there.
        File.Copy(Path.Combine(_dir, "onnx", "encoder_model.onnx"), Path.Combine(_dir, "onnx", "decoder_model_merged.onnx"), overwrite: true);
        var e = LoadFails();
        Assert.Contains("decoder_model_merged.onnx is not an Optimum seq2seq export", e.Message);
        Assert.Contains("missing input(s) encoder_attention_mask", e.Message);
        Assert.Contains("it has: input_ids, attention_mask", e.Message);
    }

    [Theory]
    [InlineData("\"vocab_size\": 207", "\"vocab_size\": 300", "config.json vocab_size=300 but decoder_model_merged.onnx gives logits over 207 ids")]
    [InlineData("\"vocab_size\": 207", "\"vocab_size\": 150", "the tokenizer uses 205 ids but config.json vocab_size is 150")]
    [InlineData("\"decoder_layers\": 2", "\"decoder_layers\": 3", "past_key_values.2.decoder.key")]
    [InlineData("\"d_model\": 16", "\"d_model\": 32", "config.json d_model=32 but encoder_model.onnx has hidden size 16")]
    public void A_config_that_disagrees_with_the_model_is_reported(string from, string to, string expected)
    {
        var config = Path.Combine(_dir, "config.json");
        var text = File.ReadAllText(config);
        Assert.Contains(from, text);
        File.WriteAllText(config, text.Replace(from, to));
        Assert.Contains(expected, LoadFails().Message);
    }
}
