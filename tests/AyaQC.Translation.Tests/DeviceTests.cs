using System.Diagnostics;
using System.Text.Json;
using AyaQC.Tests.Shared;
using AyaQC.Translation.Decoding;
using AyaQC.Translation.Runtime;

namespace AyaQC.Translation.Tests;

public class DeviceTests
{
    static readonly TorchReference Ref = TorchReference.Instance;
    const string CpuPackage = "Microsoft.ML.OnnxRuntime", GpuPackage = "Microsoft.ML.OnnxRuntime.Gpu.Linux";

    [NoCudaFact]
    public void Auto_falls_back_to_cpu_and_says_why_when_cuda_cannot_load()
    {
        using var t = NllbTranslator.Load(FixturePaths.TinyModel, new OrtSessionSettings(ExecutionDevice.Auto));
        Assert.Equal("CPU", t.Device.Provider);
        Assert.StartsWith("CUDA execution provider unavailable, running on CPU: ", t.Device.FallbackReason);
        Assert.Equal(Ref.Greedy, t.Generate(Ref.Sources, Ref.ForcedBos, new DecodingOptions()));
    }

    [NoCudaFact]
    public void Cuda_fails_with_the_runtimes_reason_on_one_line()
    {
        var e = Assert.Throws<DeviceUnavailableException>(() => NllbTranslator.Load(FixturePaths.TinyModel, new OrtSessionSettings(ExecutionDevice.Cuda)));
        const string prefix = "CUDA execution provider could not be loaded (device 0): ";
        Assert.StartsWith(prefix, e.Message);
        Assert.True(e.Message.Length > prefix.Length + 10, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        if (OrtRuntime.Package == CpuPackage) Assert.Contains("-p:AyaQCGpu=true", e.Message); // the CPU package has no CUDA entry point
        else Assert.Contains("Failed to load library", e.Message); // the GPU package without CUDA 13 / cuDNN 9: from ORT's log, naming the library
    }

    [CudaFact]
    public void Cuda_decodes_like_torch()
    {
        using var t = NllbTranslator.Load(FixturePaths.TinyModel, new OrtSessionSettings(ExecutionDevice.Cuda));
        Assert.Equal("CUDA", t.Device.Provider);
        Assert.Equal(Ref.Greedy, t.Generate(Ref.Sources, Ref.ForcedBos, new DecodingOptions { NumBeams = 1 }));
        foreach (var (numBeams, lengthPenalty, expected) in Ref.Beams)
            Assert.Equal(expected, t.Generate(Ref.Sources, Ref.ForcedBos, new DecodingOptions { NumBeams = numBeams, LengthPenalty = lengthPenalty }));
    }

    [CudaFact]
    public void Auto_takes_cuda_when_it_loads()
    {
        using var t = NllbTranslator.Load(FixturePaths.TinyModel, new OrtSessionSettings(ExecutionDevice.Auto));
        Assert.Equal("CUDA", t.Device.Provider);
        Assert.Null(t.Device.FallbackReason);
    }

    [Fact]
    public void The_runtime_is_the_package_this_build_references()
    {
        Assert.Contains(OrtRuntime.Package, new[] { CpuPackage, GpuPackage });
        Assert.Equal(OrtRuntime.Package == CpuPackage ? "1.31.1" : "1.31.0", OrtRuntime.Version);
        Assert.Contains("CPUExecutionProvider", OrtRuntime.AvailableProviders());
        if (OrtRuntime.Package == GpuPackage) Assert.Contains("CUDAExecutionProvider", OrtRuntime.AvailableProviders());
    }

    [Theory]
    [InlineData(null, CpuPackage, "1.31.1")]
    [InlineData("true", GpuPackage, "1.31.0")]
    public void One_build_property_picks_the_package(string? gpu, string package, string version)
    {
        // MSBuild evaluation only (no restore, nothing downloaded): what the project would reference.
        var project = RepoPaths.InRepo("src", "AyaQC.Translation", "AyaQC.Translation.csproj");
        var args = new List<string> { "msbuild", project, "-getItem:PackageReference", "-getItem:PackageVersion", "-getProperty:OnnxRuntimePackage" };
        if (gpu != null) args.Add($"-p:AyaQCGpu={gpu}");
        var psi = new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr + stdout.Result);
        using var json = JsonDocument.Parse(stdout.Result);
        Assert.Equal(package, json.RootElement.GetProperty("Properties").GetProperty("OnnxRuntimePackage").GetString());
        var items = json.RootElement.GetProperty("Items");
        var versions = items.GetProperty("PackageVersion").EnumerateArray() // central versions (Directory.Packages.props)
            .ToDictionary(v => v.GetProperty("Identity").GetString()!, v => v.GetProperty("Version").GetString());
        var references = items.GetProperty("PackageReference").EnumerateArray()
            .Select(r => r.GetProperty("Identity").GetString()!)
            .Where(id => id.StartsWith("Microsoft.ML.OnnxRuntime"))
            .Select(id => (id, versions[id])).ToArray();
        Assert.Equal([(package, version)], references); // exactly one ORT package, never both
    }
}
