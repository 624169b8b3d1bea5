using AyaQC.Translation.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AyaQC.Translation.Decoding;

/// <summary>The encoder and decoder sessions of one export, checked against the Optimum input/output names and the
/// config. Thread-safe: sessions allow concurrent runs, and each decoding call has its own <see cref="DecoderState"/>.</summary>
public sealed class Seq2SeqOnnxModel : IDisposable
{
    public Seq2SeqConfig Config { get; }
    public NllbModelFolder Files { get; }
    public DeviceOutcome Device { get; }
    public int Heads { get; }
    public int HeadDim { get; }

    /// <summary>The KV cache's element type: float, or float16 for an fp16 export.</summary>
    public TensorElementType KvType { get; }
    internal OnnxSession Encoder { get; }
    internal OnnxSession FirstStep { get; }   // merged decoder, or decoder_model
    internal OnnxSession LaterSteps { get; }  // merged decoder, or decoder_with_past_model
    internal DeviceKernels Kernels { get; }

    /// <summary>Where the encoder output, the KV cache and the logits live between runs: null = the host, plain runs;
    /// else that memory through IoBindings (the CUDA device's). Tests set the host memory here to run the binding
    /// path on a machine without a GPU.</summary>
    internal OrtMemoryInfo? BindingMemory { get; set; }

    public Seq2SeqOnnxModel(NllbModelFolder files, Seq2SeqConfig config, OrtSessionSettings settings)
    {
        Files = files;
        Config = config;
        var sessions = new List<OnnxSession>();
        try
        {
            Encoder = Open(files.EncoderPath, settings, sessions);
            Device = Encoder.Device;
            var fixedDevice = settings with { Device = Device.OnCuda ? ExecutionDevice.Cuda : ExecutionDevice.Cpu };
            if (files.MergedDecoderPath != null)
                FirstStep = LaterSteps = Open(files.MergedDecoderPath, fixedDevice, sessions);
            else
            {
                FirstStep = Open(files.DecoderPath!, fixedDevice, sessions);
                LaterSteps = Open(files.DecoderWithPastPath!, fixedDevice, sessions);
            }
            Validate();
            Kernels = new DeviceKernels(fixedDevice, config.VocabSize, config.EosId);
            if (Device.OnCuda) BindingMemory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, Device.DeviceId, OrtMemType.Default);
            var pastKey = LaterSteps.Input(PastName(0, "decoder", "key"))!;
            Heads = pastKey.Dims.Length == 4 && pastKey.Dims[1] > 0 ? (int)pastKey.Dims[1] : config.DecoderHeads;
            HeadDim = pastKey.Dims.Length == 4 && pastKey.Dims[3] > 0 ? (int)pastKey.Dims[3] : config.DModel / config.DecoderHeads;
            KvType = pastKey.ElementType;
        }
        catch
        {
            foreach (var s in sessions) s.Dispose();
            throw;
        }
    }

    static OnnxSession Open(string path, OrtSessionSettings settings, List<OnnxSession> opened)
    {
        var s = new OnnxSession(path, settings);
        opened.Add(s);
        return s;
    }

    internal static string PastName(int layer, string part, string kind) => $"past_key_values.{layer}.{part}.{kind}";
    internal static string PresentName(int layer, string part, string kind) => $"present.{layer}.{part}.{kind}";

    internal IEnumerable<string> PastNames(bool withEncoder = true) =>
        from i in Enumerable.Range(0, Config.DecoderLayers)
        from part in withEncoder ? new[] { "decoder", "encoder" } : ["decoder"]
        from kind in new[] { "key", "value" }
        select PastName(i, part, kind);

    void Validate()
    {
        var folder = Files.Folder;
        Require(Encoder, ["input_ids", "attention_mask"], ["last_hidden_state"]);
        var presentAll = PastNames().Select(n => n.Replace("past_key_values", "present")).ToArray();
        if (Files.Merged)
            Require(FirstStep, ["encoder_attention_mask", "input_ids", "encoder_hidden_states", "use_cache_branch", .. PastNames()], ["logits", .. presentAll]);
        else
        {
            Require(FirstStep, ["encoder_attention_mask", "input_ids", "encoder_hidden_states"], ["logits", .. presentAll]);
            Require(LaterSteps, ["encoder_attention_mask", "input_ids", .. PastNames()],
                ["logits", .. PastNames(withEncoder: false).Select(n => n.Replace("past_key_values", "present"))]);
        }
        var layersInModel = LaterSteps.Inputs.Count(i => i.Name.StartsWith("past_key_values.") && i.Name.EndsWith(".decoder.key"));
        if (layersInModel != Config.DecoderLayers)
            throw new ModelFolderException(folder, $"config.json says decoder_layers={Config.DecoderLayers} but {Path.GetFileName(LaterSteps.ModelPath)} has past_key_values for {layersInModel} layers");
        var logits = FirstStep.Output("logits")!;
        var vocabDim = logits.Dims.Length == 3 ? logits.Dims[2] : -1;
        if (vocabDim > 0 && vocabDim != Config.VocabSize)
            throw new ModelFolderException(folder, $"config.json vocab_size={Config.VocabSize} but {Path.GetFileName(FirstStep.ModelPath)} gives logits over {vocabDim} ids");
        var hidden = Encoder.Output("last_hidden_state")!;
        if (hidden.Dims.Length == 3 && hidden.Dims[2] > 0 && hidden.Dims[2] != Config.DModel)
            throw new ModelFolderException(folder, $"config.json d_model={Config.DModel} but encoder_model.onnx has hidden size {hidden.Dims[2]}");
    }

    void Require(OnnxSession s, string[] inputs, string[] outputs)
    {
        var file = Path.GetFileName(s.ModelPath);
        var missingIn = inputs.Where(n => s.Input(n) == null).ToArray();
        var missingOut = outputs.Where(n => s.Output(n) == null).ToArray();
        if (missingIn.Length == 0 && missingOut.Length == 0) return;
        var problems = new List<string>();
        if (missingIn.Length > 0)
            problems.Add($"missing input(s) {string.Join(", ", missingIn.Take(6))}{(missingIn.Length > 6 ? ", ..." : "")} (it has: {string.Join(", ", s.Inputs.Select(i => i.Name).Take(8))})");
        if (missingOut.Length > 0)
            problems.Add($"missing output(s) {string.Join(", ", missingOut.Take(6))}{(missingOut.Length > 6 ? ", ..." : "")} (it has: {string.Join(", ", s.Outputs.Select(o => o.Name).Take(8))})");
        throw new ModelFolderException(Files.Folder, $"{file} is not an Optimum seq2seq export with {Config.DecoderLayers} decoder layers: {string.Join("; ", problems)}");
    }

    static readonly string[] EncoderInputs = ["input_ids", "attention_mask"], EncoderOutputs = ["last_hidden_state"];

    /// <summary>Runs the encoder on right-padded ids; returns last_hidden_state [rows, len, d_model], in
    /// <see cref="BindingMemory"/> when there is one (on the GPU it then stays there for every decoder step).</summary>
    internal OrtValue Encode(OrtValue inputIds, OrtValue attentionMask)
    {
        if (BindingMemory == null) return Encoder.Run(EncoderInputs, [inputIds, attentionMask], EncoderOutputs).First();
        using var binding = Encoder.CreateBinding();
        binding.BindInput("input_ids", inputIds);
        binding.BindInput("attention_mask", attentionMask);
        binding.BindOutputToDevice("last_hidden_state", BindingMemory);
        return Encoder.Run(binding)[0];
    }

    public void Dispose()
    {
        Kernels.Dispose();
        if (Device.OnCuda) BindingMemory?.Dispose();
        Encoder.Dispose();
        FirstStep.Dispose();
        if (!ReferenceEquals(FirstStep, LaterSteps)) LaterSteps.Dispose();
    }
}
