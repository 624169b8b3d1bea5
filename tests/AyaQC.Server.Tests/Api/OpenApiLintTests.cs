using System.Diagnostics;
using System.Text.Json;
using AyaQC.Server.Tests.Support;

namespace AyaQC.Server.Tests.Api;

/// <summary>Runs only where Node.js ≥ 20 and npx are on PATH (the linter comes from npm); skipped with a message otherwise.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (NodeMajor() is not >= 20) Skip = "Node.js ≥ 20 with npx is not on PATH: `redocly lint` (@redocly/cli from npm) cannot run here";
    }

    static int? NodeMajor()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var version = node.StandardOutput.ReadToEnd().Trim().TrimStart('v');
            node.WaitForExit(10_000);
            using var npx = Process.Start(new ProcessStartInfo("npx", "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            npx.StandardOutput.ReadToEnd();
            npx.WaitForExit(20_000);
            return npx.ExitCode == 0 && int.TryParse(version.Split('.')[0], out var major) ? major : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>The published contract passes Redocly's recommended rules with no errors, so pipelines can generate
/// clients in other languages from <c>/openapi/v1.json</c>.</summary>
public class OpenApiLintTests
{
    [NodeFact]
    public async Task Redocly_lint_finds_no_errors_in_the_published_contract()
    {
        var dir = Directory.CreateTempSubdirectory("ayaqc-openapi-");
        try
        {
            await using var api = await ApiServer.StartAsync("sqlite");
            var file = Path.Combine(dir.FullName, "openapi.json");
            await File.WriteAllTextAsync(file, await api.Http.GetStringAsync("/openapi/v1.json"));
            var psi = new ProcessStartInfo("npx", ["--yes", "@redocly/cli@2.77.0", "lint", file, "--format", "json"])
            {
                WorkingDirectory = dir.FullName, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            psi.Environment["REDOCLY_TELEMETRY"] = "off";
            psi.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var lint = Process.Start(psi)!;
            var output = lint.StandardOutput.ReadToEndAsync();
            var error = await lint.StandardError.ReadToEndAsync();
            if (!lint.WaitForExit(TimeSpan.FromMinutes(4))) lint.Kill(entireProcessTree: true);
            var json = await output;
            var start = json.IndexOf('{');
            Assert.True(start >= 0, $"no JSON from redocly (exit {lint.ExitCode}): {error}");
            using var report = JsonDocument.Parse(json[start..]);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Where(p => p.GetProperty("severity").GetString() == "error")
                .Select(p => $"{p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}").ToArray();
            Assert.True(report.RootElement.GetProperty("totals").GetProperty("errors").GetInt32() == 0, string.Join("\n", problems));
            Assert.Equal(0, lint.ExitCode);

            // the things pipelines need are there, not just an absence of errors
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            Assert.Equal("bearer", doc.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
            var import = doc.RootElement.GetProperty("paths").GetProperty("/api/v1/gold-sets").GetProperty("post");
            Assert.Equal("postGoldSets", import.GetProperty("operationId").GetString());
            Assert.True(import.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/x-ndjson", out _));
        }
        finally { dir.Delete(recursive: true); }
    }
}
