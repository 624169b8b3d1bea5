using System.Runtime.InteropServices;

namespace AyaQC.Translation.Onnx;

/// <summary>One loaded ONNX model. Run is thread-safe (ORT allows concurrent Run calls on a session).</summary>
public sealed unsafe class OrtInferenceSession : IDisposable
{
    internal OrtSessionHandle Handle { get; }
    public string ModelPath { get; }
    public IReadOnlyList<TensorSpec> Inputs { get; }
    public IReadOnlyList<TensorSpec> Outputs { get; }
    public DeviceOutcome Device { get; }

    readonly Dictionary<string, nint> _names = new(); // UTF-8 copies of input/output names, freed on dispose
    readonly Lock _namesGate = new();

    public OrtInferenceSession(string modelPath, OrtSessionSettings settings)
        : this(modelPath, settings, null)
    {
    }

    /// <summary>A model built in memory; <paramref name="name"/> stands for its path in messages.</summary>
    public OrtInferenceSession(string name, byte[] model, OrtSessionSettings settings)
        : this(name, settings, model)
    {
    }

    OrtInferenceSession(string modelPath, OrtSessionSettings settings, byte[]? model)
    {
        if (model == null && !File.Exists(modelPath)) throw new FileNotFoundException($"ONNX model not found: {modelPath}", modelPath);
        ModelPath = modelPath;
        var env = OrtRuntime.Env(settings.LibraryPath);
        var (options, outcome) = OrtRuntime.CreateOptions(settings);
        using (options)
        {
            try
            {
                Handle = new OrtSessionHandle(model == null
                    ? OrtApi.Instance.CreateSession(env, modelPath, options)
                    : OrtApi.Instance.CreateSessionFromArray(env, model, options));
            }
            catch (OrtException e) { throw new OrtException(e.ErrorCode, $"{modelPath}: {e.Message}"); }
        }
        Device = outcome;
        var api = OrtApi.Instance;
        Inputs = Enumerable.Range(0, api.SessionInputCount(Handle))
            .Select(i => api.SessionTensorSpec(Handle, i, false, api.SessionInputName(Handle, i))).ToArray();
        Outputs = Enumerable.Range(0, api.SessionOutputCount(Handle))
            .Select(i => api.SessionTensorSpec(Handle, i, true, api.SessionOutputName(Handle, i))).ToArray();
    }

    public TensorSpec? Input(string name) => Inputs.FirstOrDefault(i => i.Name == name);
    public TensorSpec? Output(string name) => Outputs.FirstOrDefault(o => o.Name == name);

    internal byte* NameOf(string name)
    {
        lock (_namesGate)
        {
            if (!_names.TryGetValue(name, out var p)) _names[name] = p = Marshal.StringToCoTaskMemUTF8(name);
            return (byte*)p;
        }
    }

    /// <summary>Runs the model; the caller owns (and disposes) the returned outputs.</summary>
    public OrtValue[] Run(IReadOnlyList<(string name, OrtValue value)> inputs, IReadOnlyList<string> outputNames)
    {
        var inNames = stackalloc byte*[inputs.Count];
        var inValues = stackalloc nint[inputs.Count];
        var outNames = stackalloc byte*[outputNames.Count];
        var outValues = stackalloc nint[outputNames.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            inNames[i] = NameOf(inputs[i].name);
            inValues[i] = inputs[i].value.Handle.DangerousGetHandle();
        }
        for (var i = 0; i < outputNames.Count; i++) { outNames[i] = NameOf(outputNames[i]); outValues[i] = 0; }
        OrtApi.Instance.Run(Handle, inNames, inValues, inputs.Count, outNames, outputNames.Count, outValues);
        GC.KeepAlive(inputs);
        var result = new OrtValue[outputNames.Count];
        for (var i = 0; i < result.Length; i++) result[i] = new OrtValue(outValues[i], onHost: true);
        return result;
    }

    public void Dispose()
    {
        Handle.Dispose();
        lock (_namesGate)
        {
            foreach (var p in _names.Values) Marshal.FreeCoTaskMem(p);
            _names.Clear();
        }
    }
}
