using System.Runtime.InteropServices;

namespace AyaQC.Translation.Onnx;

/// <summary>Finds libonnxruntime: an explicit path (configuration), then $AYAQC_ORT_LIBRARY, then the copy the build
/// puts next to the assemblies, then the system's library search.</summary>
public static class OrtLibrary
{
    public const string EnvironmentVariable = "AYAQC_ORT_LIBRARY";
    public const string FileName = "libonnxruntime.so.1";

    internal static (nint handle, string path) Open(string? explicitPath)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(explicitPath)) candidates.Add(explicitPath);
        else
        {
            var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(env)) candidates.Add(env);
            candidates.Add(Path.Combine(AppContext.BaseDirectory, FileName));
        }
        var errors = new List<string>();
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) { errors.Add($"{path}: no such file"); continue; }
            try { return (NativeLibrary.Load(Path.GetFullPath(path)), Path.GetFullPath(path)); }
            catch (Exception e) { errors.Add($"{path}: {e.Message}"); }
        }
        if (string.IsNullOrEmpty(explicitPath) && NativeLibrary.TryLoad(FileName, out var sys)) return (sys, FileName);
        throw new DllNotFoundException(
            $"ONNX Runtime ({FileName}) could not be loaded. Tried: {string.Join("; ", errors)}; and the system search path. " +
            $"The build fetches it (src/AyaQC.Translation/build/OnnxRuntime.targets); or set {EnvironmentVariable} to an ONNX Runtime 1.29+ library.");
    }
}
