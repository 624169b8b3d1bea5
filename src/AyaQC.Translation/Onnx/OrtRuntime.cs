using System.Diagnostics;

namespace AyaQC.Translation.Onnx;

public enum ExecutionDevice { Cpu, Cuda, Auto }

/// <summary>How sessions are made: device (cpu|cuda|auto), CUDA device id, CPU threads (0 = ORT's default), and an
/// optional ONNX Runtime library to load instead of the bundled one (e.g. a CUDA build on a GPU host).</summary>
public sealed record OrtSessionSettings(
    ExecutionDevice Device = ExecutionDevice.Cpu,
    int DeviceId = 0,
    int IntraOpThreads = 0,
    string? LibraryPath = null);

/// <summary>What the sessions actually run on; <see cref="FallbackReason"/> says why auto ended up on CPU.</summary>
public sealed record DeviceOutcome(string Provider, int DeviceId, string? FallbackReason)
{
    public bool OnCuda => Provider == "CUDA";
}

/// <summary>The process-wide ORT environment, session creation with the execution provider asked for, and a clock of
/// the time spent inside ORT calls (the benchmark reports the share of time spent outside it).</summary>
public static class OrtRuntime
{
    const int EnableAllOptimizations = 99;
    static OrtEnvHandle? _env;
    static long _ticksInOrt;

    public static string Version => OrtApi.Instance.RuntimeVersion;
    public static string LibraryPath => OrtApi.Instance.LibraryPath;
    public static string[] AvailableProviders() => OrtApi.Instance.AvailableProviders();

    /// <summary>Stopwatch ticks spent inside ORT calls (runs, bindings, tensor creation and release) since the
    /// process started, all threads.</summary>
    public static long TicksInOrt => Interlocked.Read(ref _ticksInOrt);

    internal static void AddOrtTicks(long ticks) => Interlocked.Add(ref _ticksInOrt, ticks);

    internal static OrtEnvHandle Env(string? libraryPath)
    {
        var api = OrtApi.Load(libraryPath);
        lock (typeof(OrtRuntime))
            return _env ??= new OrtEnvHandle(api.CreateEnv("ayaqc"));
    }

    /// <summary>Session options for the settings. cuda fails with ORT's reason when the CUDA provider cannot load;
    /// auto then falls back to CPU and reports why.</summary>
    internal static (OrtSessionOptionsHandle options, DeviceOutcome outcome) CreateOptions(OrtSessionSettings settings)
    {
        Env(settings.LibraryPath);
        var api = OrtApi.Instance;
        var options = new OrtSessionOptionsHandle(api.CreateSessionOptions());
        api.SetGraphOptimizationLevel(options, EnableAllOptimizations);
        if (settings.IntraOpThreads > 0) api.SetIntraOpNumThreads(options, settings.IntraOpThreads);
        api.SetInterOpNumThreads(options, 1);
        if (settings.Device == ExecutionDevice.Cpu) return (options, new DeviceOutcome("CPU", 0, null));
        try
        {
            api.AppendCudaProvider(options, new Dictionary<string, string> { ["device_id"] = settings.DeviceId.ToString() });
            return (options, new DeviceOutcome("CUDA", settings.DeviceId, null));
        }
        catch (OrtException e) when (settings.Device == ExecutionDevice.Auto)
        {
            options.Dispose();
            var (cpu, _) = CreateOptions(settings with { Device = ExecutionDevice.Cpu });
            return (cpu, new DeviceOutcome("CPU", 0, $"CUDA execution provider unavailable, running on CPU: {e.Message}"));
        }
        catch (OrtException e)
        {
            options.Dispose();
            throw new OrtException(e.ErrorCode, $"CUDA execution provider could not be loaded (device {settings.DeviceId}): {e.Message}");
        }
    }
}
