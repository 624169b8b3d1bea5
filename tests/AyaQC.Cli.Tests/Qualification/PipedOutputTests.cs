using System.Diagnostics;
using System.Text.Json;

namespace AyaQC.Cli.Tests.Qualification;

/// <summary>The built CLI as a process with its output redirected: plain TSV by default (no ANSI), JSON on request.</summary>
public class PipedOutputTests
{
    static (int Code, string Output, string Error) Ayaqc(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ayaqc.dll");
        var dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        using var process = Process.Start(new ProcessStartInfo(dotnet, [cli, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, output.Result, error);
    }

    /// <summary>Adds the test server's address and admin key to a command line.</summary>
    delegate string[] RemoteArgs(params string[] args);

    /// <summary>Runs a test against an embedded server on a fresh SQLite file (with the shipped qualification sets).</summary>
    static async Task WithServerAsync(Action<RemoteArgs> test)
    {
        await using var server = await TempServer.StartAsync("ayaqc-cli-pipe-", loadShippedSets: true);
        test(server.Remote);
    }

    [Fact]
    public async Task Redirected_output_is_plain_tsv_and_json_on_request()
    {
        await WithServerAsync(Remote =>
        {
            var (code, output, error) = Ayaqc(Remote("qualification", "assessors", "register", "--name", "Amina", "--name", "Baraka Juma"));
            Assert.True(code == 0, error + output);
            Assert.DoesNotContain('\u001b', output);
            var lines = output.TrimEnd('\n').Split('\n');
            Assert.Equal("id\tname\ttoken", lines[0]);
            Assert.Equal(3, lines.Length);
            Assert.Equal("Baraka Juma", lines[2].Split('\t')[1]);
            Assert.StartsWith("aqt_", lines[1].Split('\t')[2]);

            (code, output, error) = Ayaqc(Remote("qualification", "assessors", "list", "--format", "json"));
            Assert.True(code == 0, error + output);
            Assert.Equal(2, JsonDocument.Parse(output).RootElement.GetArrayLength());

            (code, output, _) = Ayaqc(Remote("qualification", "rounds", "list", "--format", "tsv"));
            Assert.Equal(0, code);
            Assert.Equal("id\tname\tstatus\tassessors\titems each\tcreated\texpires\n", output);
        });
    }

    [Fact]
    public async Task Dataset_commands_write_plain_tsv_with_whole_texts_and_the_cursor_on_stderr()
    {
        await WithServerAsync(Remote =>
        {
            var example = RepoPaths.InRepo("docs", "examples", "en-sw-dataset.jsonl");

            var (code, output, error) = Ayaqc(Remote("datasets", "import", example, "--name", "a name long enough to wrap at eighty columns in a narrow table"));
            Assert.True(code == 0, error + output);
            Assert.DoesNotContain('\u001b', output);
            Assert.Single(output.TrimEnd('\n').Split('\n')); // one line, not wrapped at a guessed width

            (code, output, error) = Ayaqc(Remote("datasets", "list"));
            Assert.True(code == 0, error + output);
            var lines = output.TrimEnd('\n').Split('\n');
            Assert.Equal("id\tname\tformat\trows\tlabelled\tcreated", lines[0]);
            var id = lines[1].Split('\t')[0];
            Assert.StartsWith("ds_", id);
            Assert.Equal("322", lines[1].Split('\t')[3]);

            (code, output, error) = Ayaqc(Remote("datasets", "rows", id, "--limit", "20"));
            Assert.True(code == 0, error + output);
            lines = output.TrimEnd('\n').Split('\n');
            Assert.Equal(21, lines.Length);
            var sources = File.ReadLines(example).Take(20).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!["source"]!.GetValue<string>()).ToList();
            Assert.Contains(sources, s => s.Length > 40); // a table would cut these
            Assert.Equal(sources, lines.Skip(1).Select(l => l.Split('\t')[2]));
            Assert.StartsWith("more rows: --cursor ", error);
        });
    }

    [Fact]
    public void One_error_convention_exit_2_for_usage_1_for_refusals_and_error_lines_on_stderr()
    {
        var (help, helpText, _) = Ayaqc("--help");
        Assert.Equal(0, help);
        Assert.Contains("Exit codes: 0 done, 1 refused", helpText);

        var (usage, usageOut, usageError) = Ayaqc("qualification", "rounds", "list", "--no-such-option");
        Assert.Equal(2, usage);
        Assert.StartsWith("error: ", usageError);
        Assert.Contains("--no-such-option", usageError);
        Assert.DoesNotContain("error:", usageOut);

        var (refused, refusedOut, refusedError) = Ayaqc("qualification", "rounds", "list", "--server", "http://127.0.0.1:1", "--admin-key", "aqa_x");
        Assert.Equal(1, refused);
        Assert.StartsWith("error: cannot reach the server", refusedError);
        Assert.Equal("", refusedOut);

        var (bad, _, badError) = Ayaqc("aggregate", "--answers", Path.Combine(Path.GetTempPath(), "ayaqc-no-such-file.tsv"));
        Assert.Equal(1, bad);
        Assert.StartsWith("error: ", badError);
    }
}
