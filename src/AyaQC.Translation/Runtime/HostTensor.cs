using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AyaQC.Translation.Runtime;

/// <summary>Tensors in ORT's own CPU allocator (nothing managed stays pinned), filled and read through spans.</summary>
public static class HostTensor
{
    /// <summary>A new host tensor of the given shape (contents uninitialised).</summary>
    public static OrtValue Allocate<T>(params long[] shape) where T : unmanaged => Allocate(TypeOf<T>(), shape);

    public static OrtValue FromData<T>(ReadOnlySpan<T> data, params long[] shape) where T : unmanaged
    {
        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (data.Length != count)
            throw new ArgumentException($"tensor of shape [{string.Join(",", shape)}] needs {count} values, got {data.Length}");
        var value = Allocate<T>(shape);
        data.CopyTo(value.GetTensorMutableDataAsSpan<T>());
        return value;
    }

    /// <summary>A new host tensor of an element type known only at run time (a model's float or float16).</summary>
    public static OrtValue Allocate(TensorElementType type, params long[] shape)
    {
        var start = OrtRuntime.Now(); // allocating in ORT's allocator counts as time in ORT (the benchmark's split)
        try { return OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, shape); }
        finally { OrtRuntime.AddOrtTicks(OrtRuntime.Now() - start); }
    }

    public static long[] Shape(this OrtValue value) => value.GetTensorTypeAndShape().Shape;

    public static TensorElementType ElementType(this OrtValue value) => value.GetTensorTypeAndShape().ElementDataType;

    static TensorElementType TypeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? TensorElementType.Float
        : typeof(T) == typeof(long) ? TensorElementType.Int64
        : typeof(T) == typeof(bool) ? TensorElementType.Bool
        : typeof(T) == typeof(Float16) ? TensorElementType.Float16
        : throw new NotSupportedException($"no ONNX element type for {typeof(T).Name}");
}
