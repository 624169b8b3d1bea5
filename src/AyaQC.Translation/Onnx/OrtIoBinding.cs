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

    public void BindInput(string name, OrtValue value) => OrtApi.Instance.BindInput(_handle, _session.NameOf(name), value);

    public void BindOutput(string name, OrtDeviceMemory memory) =>
        OrtApi.Instance.BindOutputToDevice(_handle, _session.NameOf(name), memory.Handle);

    /// <summary>Runs and returns the bound outputs in binding order; the caller owns them.</summary>
    public OrtValue[] Run(IReadOnlyList<bool> outputOnHost)
    {
        OrtApi.Instance.RunWithBinding(_session.Handle, _handle);
        var values = OrtApi.Instance.BoundOutputValues(_handle);
        var result = new OrtValue[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = new OrtValue(values[i], outputOnHost[i]);
        return result;
    }

    public void Clear() => OrtApi.Instance.ClearBindings(_handle);

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
