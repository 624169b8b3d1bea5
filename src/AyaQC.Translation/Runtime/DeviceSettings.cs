namespace AyaQC.Translation.Runtime;

public enum ExecutionDevice { Cpu, Cuda, Auto }

/// <summary>How sessions are made: device (cpu|cuda|auto), CUDA device id and CPU threads (0 = ORT's default).</summary>
public sealed record OrtSessionSettings(
    ExecutionDevice Device = ExecutionDevice.Cpu,
    int DeviceId = 0,
    int IntraOpThreads = 0);

/// <summary>What the sessions actually run on; <see cref="FallbackReason"/> says why auto ended up on CPU.</summary>
public sealed record DeviceOutcome(string Provider, int DeviceId, string? FallbackReason)
{
    public bool OnCuda => Provider == "CUDA";
}

/// <summary>`--device cuda` asked for a CUDA provider that could not be loaded; the message is one line with ORT's
/// own reason.</summary>
public sealed class DeviceUnavailableException(string message, Exception inner) : Exception(message, inner);
