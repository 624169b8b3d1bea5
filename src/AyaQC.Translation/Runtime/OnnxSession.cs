using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AyaQC.Translation.Runtime;

/// <summary>An input or output of a model: its name, element type and dimensions (-1 where a dimension is symbolic).</summary>
public sealed record TensorSpec(string Name, TensorElementType ElementType, long[] Dims);

/// <summary>One loaded ONNX model on the device the settings ask for, with its inputs and outputs listed and its runs
/// timed. Run is thread-safe (ORT allows concurrent runs on a session); a binding is not, so each call makes its own.</summary>
public sealed class OnnxSession : IDisposable
{
    readonly InferenceSession _session;
    readonly RunOptions _runOptions = new();

    public string ModelPath { get; }
    public DeviceOutcome Device { get; }
    public IReadOnlyList<TensorSpec> Inputs { get; }
    public IReadOnlyList<TensorSpec> Outputs { get; }

    public OnnxSession(string modelPath, OrtSessionSettings settings) : this(settings, modelPath, null)
    {
    }

    /// <summary>A model built in memory; <paramref name="name"/> stands for its path in messages.</summary>
    public OnnxSession(string name, byte[] model, OrtSessionSettings settings) : this(settings, name, model)
    {
    }

    OnnxSession(OrtSessionSettings settings, string modelPath, byte[]? model)
    {
        if (model == null && !File.Exists(modelPath)) throw new FileNotFoundException($"ONNX model not found: {modelPath}", modelPath);
        ModelPath = modelPath;
        var (options, outcome) = OrtRuntime.CreateOptions(settings);
        using (options)
        {
            try { _session = model == null ? new InferenceSession(modelPath, options) : new InferenceSession(model, options); }
            catch (OnnxRuntimeException e) { throw new ModelLoadException($"{modelPath}: {e.Message}", e); }
        }
        Device = outcome;
        Inputs = _session.InputNames.Select(n => Spec(n, _session.InputMetadata[n])).ToArray();
        Outputs = _session.OutputNames.Select(n => Spec(n, _session.OutputMetadata[n])).ToArray();
    }

    static TensorSpec Spec(string name, NodeMetadata m) =>
        m.IsTensor ? new(name, m.ElementDataType, m.Dimensions.Select(d => (long)d).ToArray()) : new(name, default, []);

    public TensorSpec? Input(string name) => Inputs.FirstOrDefault(i => i.Name == name);
    public TensorSpec? Output(string name) => Outputs.FirstOrDefault(o => o.Name == name);

    /// <summary>Runs the model; ORT allocates the outputs (on the host) and the caller disposes them.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputs,
        IReadOnlyCollection<string> outputNames)
    {
        var start = OrtRuntime.Now();
        try { return _session.Run(_runOptions, inputNames, inputs, outputNames); }
        finally { OrtRuntime.AddOrtTicks(OrtRuntime.Now() - start); }
    }

    /// <summary>Runs the model into outputs the caller allocated (the lean path: no output is wrapped or released).</summary>
    public void Run(IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputs,
        IReadOnlyCollection<string> outputNames, IReadOnlyCollection<OrtValue> outputs)
    {
        var start = OrtRuntime.Now();
        try { _session.Run(_runOptions, inputNames, inputs, outputNames, outputs); }
        finally { OrtRuntime.AddOrtTicks(OrtRuntime.Now() - start); }
    }

    /// <summary>A binding for <see cref="Run(OrtIoBinding)"/>: outputs stay on the memory they are bound to (the GPU's).</summary>
    public OrtIoBinding CreateBinding() => _session.CreateIoBinding();

    /// <summary>Runs a binding; returns the bound outputs in binding order, owned by the caller.</summary>
    public OrtValue[] Run(OrtIoBinding binding)
    {
        var start = OrtRuntime.Now();
        try
        {
            _session.RunWithBinding(_runOptions, binding);
            // Not disposed: disposing the collection would release the values the caller now owns.
            return binding.GetOutputValues().ToArray();
        }
        finally { OrtRuntime.AddOrtTicks(OrtRuntime.Now() - start); }
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}

/// <summary>ONNX Runtime refused a model file; the message names the file and gives ORT's reason.</summary>
public sealed class ModelLoadException(string message, Exception inner) : Exception(message, inner);
