using AyaQC.Translation.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace AyaQC.Translation.Tests;

/// <summary>Whether this process can run ONNX Runtime's CUDA provider: the GPU build (-p:AyaQCGpu=true) on a host with
/// CUDA 13, cuDNN 9 and a GPU. Asked of ORT itself, once.</summary>
static class CudaAvailability
{
    static readonly Lazy<string?> Reason = new(() =>
    {
        _ = OrtRuntime.Version; // ORT's environment as AyaQC makes it (its logger), before any session option
        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(0);
            return null;
        }
        catch (Exception e)
        {
            return $"CUDA is not usable here ({OrtRuntime.Package} {OrtRuntime.Version}: {e.GetType().Name}: {e.Message.Split('\n')[0]}); " +
                   "scripts/gpu-check.sh runs this on a GPU host";
        }
    });

    /// <summary>Why CUDA cannot run here; null when it can.</summary>
    public static string? Missing => Reason.Value;
}

/// <summary>A fact that needs a working CUDA provider; skipped with ORT's reason elsewhere.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (CudaAvailability.Missing is { } reason) Skip = reason;
    }
}

/// <summary>A fact about what happens when CUDA is missing; skipped on a host where CUDA works.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (CudaAvailability.Missing is null) Skip = "CUDA works on this host: the fallback cannot be observed here";
    }
}
