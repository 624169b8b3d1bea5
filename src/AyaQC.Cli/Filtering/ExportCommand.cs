using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AyaQC.Cli.Qualification;
using AyaQC.Client;

namespace AyaQC.Cli.Filtering;

/// <summary><c>ayaqc export DATASET --output FILE</c>: the filtered dataset from a running server, streamed to a file.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var connection = new ServerConnection();
        var dataset = new Argument<string>("dataset") { Description = "Dataset id (ds_...)" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "File to write (JSON Lines or CSV)", Required = true };
        var format = new Option<string?>("--format") { Description = "ndjson or csv (default: by the output's extension, .csv = csv)" };
        format.AcceptOnlyFromAmong("ndjson", "jsonl", "csv");
        var decision = new Option<string>("--decision") { Description = "keep (default), drop, review or all", DefaultValueFactory = _ => "keep" };
        decision.AcceptOnlyFromAmong("keep", "drop", "review", "all");
        var cursor = new Option<string?>("--cursor") { Description = "Resume after this cursor (the last record's cursor field)" };
        var limit = new Option<long?>("--limit") { Description = "At most this many rows" };
        var token = new Option<string?>("--token") { Description = "A pipeline token (aqp_...) or admin key (default: $AYAQC_TOKEN, else the admin key)" };
        var command = new Command("export", "Write a dataset's filtered rows (Aya shape + QC columns) to a file, streamed from the server");
        command.Arguments.Add(dataset);
        foreach (var o in new Option[] { output, format, decision, cursor, limit, token }) command.Options.Add(o);
        connection.AddTo(command);
        command.SetAction((pr, ct) => CommandRunner.RunAsync(async () =>
        {
            var file = pr.GetValue(output)!;
            var fmt = pr.GetValue(format) is { } f ? (f == "csv" ? "csv" : "ndjson")
                : file.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "ndjson";
            var key = pr.GetValue(token) ?? Environment.GetEnvironmentVariable("AYAQC_TOKEN") ?? connection.ResolveAdminKey(pr);
            var client = new AyaQCClient(new HttpClient { BaseAddress = connection.ServerUri(pr), Timeout = Timeout.InfiniteTimeSpan }, key);
            var clock = Stopwatch.StartNew();
            // Written beside the target and moved into place at the end: a broken download never looks like a whole file.
            var partial = file.FullName + ".partial";
            (long Bytes, long Lines) written;
            try
            {
                await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    written = await client.ExportToAsync(pr.GetValue(dataset)!, stream, fmt, pr.GetValue(decision)!, pr.GetValue(cursor), pr.GetValue(limit), ct);
                File.Move(partial, file.FullName, overwrite: true);
            }
            catch
            {
                File.Delete(partial);
                throw;
            }
            var rows = fmt == "csv" ? Math.Max(0, written.Lines - 1) : written.Lines;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {rows:N0} rows ({written.Bytes / 1e6:0.0} MB, {fmt}) to {file.FullName} in {clock.Elapsed.TotalSeconds:0.0} s"));
        }));
        return command;
    }
}
