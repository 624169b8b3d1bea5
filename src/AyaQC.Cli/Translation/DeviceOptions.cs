using System.CommandLine;
using AyaQC.Translation.Runtime;

namespace AyaQC.Cli.Translation;

/// <summary>The options every model-running command shares: device, CUDA device id, CPU threads.</summary>
sealed class DeviceOptions
{
    public readonly Option<string> Device = new("--device")
    {
        Description = "cpu, cuda, or auto (CUDA when its provider loads, else CPU)",
        DefaultValueFactory = _ => "auto",
    };
    public readonly Option<int> DeviceId = new("--device-id") { Description = "CUDA device id", DefaultValueFactory = _ => 0 };
    public readonly Option<int> Threads = new("--threads") { Description = "CPU threads for ONNX Runtime (0 = its default)", DefaultValueFactory = _ => 0 };

    public DeviceOptions() => Device.AcceptOnlyFromAmong("cpu", "cuda", "auto");

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(Device);
        cmd.Options.Add(DeviceId);
        cmd.Options.Add(Threads);
    }

    public OrtSessionSettings Settings(ParseResult pr) => new(
        pr.GetValue(Device) switch { "cpu" => ExecutionDevice.Cpu, "cuda" => ExecutionDevice.Cuda, _ => ExecutionDevice.Auto },
        pr.GetValue(DeviceId), pr.GetValue(Threads));
}
