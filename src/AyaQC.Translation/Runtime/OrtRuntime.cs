using System.Diagnostics;
using System.Reflection;
using Microsoft.ML.OnnxRuntime;

namespace AyaQC.Translation.Runtime;

/// <summary>ONNX Runtime as this build carries it (the CPU package, or the CUDA one with -p:AyaQCGpu=true), session
/// options for the device asked for, and a clock of the time spent inside ORT's Run calls (the benchmark reports the
/// share of time spent outside them).</summary>
public static class OrtRuntime
{
    static long _ticksInOrt;
    static readonly DOrtLoggingFunction LogFunction = Log; // held here: ORT keeps calling it
    static readonly Lazy<OrtEnv> Env = new(CreateEnv);
    [ThreadStatic] static List<string>? _capturedErrors;

    public static string Version => Env.Value.GetVersionString();

    /// <summary>The NuGet package this build references (see AyaQC.Translation.csproj's AyaQCGpu switch).</summary>
    public static string Package { get; } = typeof(OrtRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "OnnxRuntimePackage")?.Value ?? "unknown";

    public static string[] AvailableProviders() => Env.Value.GetAvailableProviders();

    /// <summary>ORT's environment with our logger: warnings and errors go to stderr as one line each, except errors
    /// raised while the CUDA provider loads, which become part of the reason it could not (ORT's exception says only
    /// "Failed to load shared library"; its log names the library that is missing).</summary>
    static OrtEnv CreateEnv()
    {
        var options = new EnvironmentCreationOptions
        {
            logId = "ayaqc", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, loggingFunction = LogFunction,
        };
        try { return OrtEnv.CreateInstanceWithOptions(ref options); }
        catch (OnnxRuntimeException) { return OrtEnv.Instance(); } // made elsewhere first: keep ORT's own logger
    }

    static void Log(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        if (_capturedErrors != null && severity >= OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR) _capturedErrors.Add(message);
        else Console.Error.WriteLine($"onnxruntime {(severity >= OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR ? "error" : "warning")}: {message}");
    }

    /// <summary>Stopwatch ticks spent inside ORT Run calls since the process started, all threads.</summary>
    public static long TicksInOrt => Interlocked.Read(ref _ticksInOrt);

    internal static void AddOrtTicks(long ticks) => Interlocked.Add(ref _ticksInOrt, ticks);

    internal static long Now() => Stopwatch.GetTimestamp();

    /// <summary>Session options for the settings. cuda fails with ORT's reason (one line) when the CUDA provider
    /// cannot load; auto then falls back to CPU and says why.</summary>
    internal static (SessionOptions Options, DeviceOutcome Outcome) CreateOptions(OrtSessionSettings settings)
    {
        _ = Env.Value;
        var options = CpuOptions(settings);
        if (settings.Device == ExecutionDevice.Cpu) return (options, new DeviceOutcome("CPU", 0, null));
        _capturedErrors = [];
        try
        {
            options.AppendExecutionProvider_CUDA(settings.DeviceId);
            return (options, new DeviceOutcome("CUDA", settings.DeviceId, null));
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            options.Dispose();
            var reason = CudaFailure(e, _capturedErrors);
            if (settings.Device == ExecutionDevice.Auto)
                return (CpuOptions(settings), new DeviceOutcome("CPU", 0, $"CUDA execution provider unavailable, running on CPU: {reason}"));
            throw new DeviceUnavailableException($"CUDA execution provider could not be loaded (device {settings.DeviceId}): {reason}", e);
        }
        finally { _capturedErrors = null; }
    }

    static SessionOptions CpuOptions(OrtSessionSettings settings)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, InterOpNumThreads = 1 };
        if (settings.IntraOpThreads > 0) options.IntraOpNumThreads = settings.IntraOpThreads;
        return options;
    }

    /// <summary>ORT's reason on one line, with what its log said (e.g. which CUDA library is missing); the CPU package
    /// has no CUDA entry point at all, which ORT does not explain.</summary>
    static string CudaFailure(Exception e, List<string> logged)
    {
        // Log lines read "<source location> <function> [ONNXRuntimeError] : 1 : FAIL : <what happened>".
        var details = logged.Select(l => l.Contains(" : FAIL : ") ? l[(l.LastIndexOf(" : FAIL : ", StringComparison.Ordinal) + 10)..].Trim() : l.Trim()).ToArray();
        var message = e is EntryPointNotFoundException
            ? $"this build carries {Package} {Version}, which has no CUDA provider (build with -p:AyaQCGpu=true for Microsoft.ML.OnnxRuntime.Gpu.Linux)"
            : details.Length > 0 ? $"{e.Message} ({string.Join("; ", details)})" : e.Message;
        return string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
