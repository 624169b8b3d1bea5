namespace AyaQC.Translation.Onnx;

/// <summary>An IoBinding on one session: inputs are bound as they are (host or device), and each output is left on
/// the memory it is bound to, so a KV cache produced on the GPU can be fed back without a round trip to the host.
/// Not thread-safe: one binding per decoding call.</summary>
public sealed unsafe class OrtIoBinding : IDisposable
{
    readonly OrtInferenceSession _session;
    readonly OrtIoBindingHandle _handle;

    public OrtIoBinding(OrtInferenceSession session)
    {
        _session = session;
        _handle = new OrtIoBindingHandle(OrtApi.Instance.CreateIoBinding(session.Handle));
    }

    // Binding calls run inside ORT: they count towards the time spent in ORT.
    public void BindInput(string name, OrtValue value)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        OrtApi.Instance.BindInput(_handle, _session.NameOf(name), value);
        OrtRuntime.AddOrtTicks(System.Diagnostics.Stopwatch.GetTimestamp() - start);
    }

    public void BindOutput(string name, OrtDeviceMemory memory)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        OrtApi.Instance.BindOutputToDevice(_handle, _session.NameOf(name), memory.Handle);
        OrtRuntime.AddOrtTicks(System.Diagnostics.Stopwatch.GetTimestamp() - start);
    }

    /// <summary>Runs and returns the bound outputs in binding order; the caller owns them.</summary>
    public OrtValue[] Run(IReadOnlyList<bool> outputOnHost)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        nint[] values;
        try
        {
            OrtApi.Instance.RunWithBinding(_session.Handle, _handle);
            values = OrtApi.Instance.BoundOutputValues(_handle);
        }
        finally { OrtRuntime.AddOrtTicks(System.Diagnostics.Stopwatch.GetTimestamp() - start); }
        var result = new OrtValue[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = new OrtValue(values[i], outputOnHost[i]);
        return result;
    }

    public void Clear()
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        OrtApi.Instance.ClearBoundInputs(_handle);
        OrtApi.Instance.ClearBoundOutputs(_handle);
        OrtRuntime.AddOrtTicks(System.Diagnostics.Stopwatch.GetTimestamp() - start);
    }

    public void Dispose() => _handle.Dispose();
}

/// <summary>Where bound outputs are allocated: host memory, or a CUDA device's memory.</summary>
public sealed class OrtDeviceMemory : IDisposable
{
    internal OrtMemoryInfoHandle Handle { get; }
    public bool IsHost { get; }

    OrtDeviceMemory(nint handle, bool isHost) { Handle = new OrtMemoryInfoHandle(handle); IsHost = isHost; }

    public static OrtDeviceMemory Host() => new(OrtApi.Instance.CreateCpuMemoryInfo(), true);
    public static OrtDeviceMemory Cuda(int deviceId) => new(OrtApi.Instance.CreateMemoryInfo("Cuda", deviceId), false);

    public void Dispose() => Handle.Dispose();
}
