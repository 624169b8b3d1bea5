using System.Diagnostics;
using AyaQC.Tests.Shared;

namespace AyaQC.Cli.Tests.Translation;

/// <summary>scripts/gpu-check.sh on a machine without CUDA: the parts that can run here (its CPU fallback with
/// --quick, and the one-line reason when CUDA is asked for), with the ayaqc these tests were built with.</summary>
public class GpuCheckScriptTests
{
    static (int Code, string Output) GpuCheck(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ayaqc.dll");
        var psi = new ProcessStartInfo("bash", [RepoPaths.InRepo("scripts", "gpu-check.sh"), "--no-build", "--cli", cli, .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) p.Kill(entireProcessTree: true);
        return (p.ExitCode, stdout.Result + stderr);
    }

    [Fact]
    public void Quick_mode_falls_back_to_cpu_and_prints_sentences_per_second_and_the_share_outside_ort()
    {
        var (code, output) = GpuCheck("--quick");
        Assert.True(code == 0, output);
        Assert.Contains("note: CUDA execution provider unavailable, running on CPU: ", output);
        var summary = output[output.IndexOf("== summary", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, summary.Length);
        Assert.Matches(@"^tiny-fp32 beams 1: CPU: \d+ tokens/s, [\d.]+ sentences/s, outside ORT [\d.]+ % .*batch 64, 64 steps, beams 1", summary[1]);
        Assert.Matches(@"^tiny-fp32 beams 4: CPU: .* sentences/s, outside ORT [\d.]+ % .*beams 4", summary[2]);
    }

    [Fact]
    public void Asking_for_cuda_where_it_cannot_load_fails_with_the_reason_on_one_line()
    {
        var (code, output) = GpuCheck("--model", Path.Combine("tests", "AyaQC.Translation.Tests", "Fixtures", "tiny-nllb"));
        Assert.Equal(1, code);
        var reason = output.Split('\n').Single(l => l.StartsWith("error: CUDA execution provider could not be loaded (device 0): "));
        if (AyaQC.Translation.Runtime.OrtRuntime.Package == "Microsoft.ML.OnnxRuntime")
            Assert.Contains("-p:AyaQCGpu=true", reason); // which package this build carries, and how to get the GPU one
        else
            Assert.Contains("Failed to load", reason); // the GPU package without CUDA 13 / cuDNN 9
        Assert.Contains("gpu-check: FAILED: bench given beams 1", output);
    }
}
