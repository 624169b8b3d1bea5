namespace AyaQC.Translation.Onnx;

/// <summary>An ORT tensor (OrtValue). Tensors made here live in ORT's CPU allocator, so no managed buffer has to stay
/// pinned; tensors that a CUDA session leaves on the device have no host view (<see cref="OnHost"/> is false).</summary>
public sealed unsafe class OrtValue : IDisposable
{
    (int Type, long[] Dims)? _typeAndShape; // asked of ORT on first use: most KV values never need it

    internal OrtValueHandle Handle { get; }
    public bool OnHost { get; }
    public int ElementType => TypeAndShape.Type;
    public long[] Shape => TypeAndShape.Dims;
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);

    (int Type, long[] Dims) TypeAndShape => _typeAndShape ??= OrtApi.Instance.ValueTypeAndShape(Handle.DangerousGetHandle());

    internal OrtValue(nint handle, bool onHost)
    {
        Handle = new OrtValueHandle(handle);
        OnHost = onHost;
    }

    /// <summary>A new host tensor of the given shape (contents uninitialised; fill through <see cref="Span{T}"/>).</summary>
    public static OrtValue Allocate<T>(params long[] shape) where T : unmanaged =>
        new(OrtApi.Instance.CreateTensor(shape, ElementTypeOf<T>()), onHost: true);

    public static OrtValue FromData<T>(ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
    {
        var v = Allocate<T>(shape);
        if (data.Length != v.ElementCount)
            throw new ArgumentException($"tensor of shape [{string.Join(",", shape)}] needs {v.ElementCount} values, got {data.Length}");
        data.CopyTo(v.Span<T>());
        return v;
    }

    public Span<T> Span<T>() where T : unmanaged
    {
        if (!OnHost) throw new InvalidOperationException("this tensor lives on the device; it has no host view");
        if (ElementTypeOf<T>() != ElementType)
            throw new InvalidOperationException($"tensor holds element type {ElementType}, not {typeof(T).Name}");
        var count = ElementCount;
        if (count == 0) return System.Span<T>.Empty;
        return new Span<T>(OrtApi.Instance.TensorData(Handle.DangerousGetHandle()), checked((int)count));
    }

    public static int ElementTypeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? OrtApi.Float
        : typeof(T) == typeof(long) ? OrtApi.Int64
        : typeof(T) == typeof(bool) ? OrtApi.Bool
        : throw new NotSupportedException($"no ONNX element type bound for {typeof(T).Name}");

    public void Dispose() => Handle.Dispose();
}
