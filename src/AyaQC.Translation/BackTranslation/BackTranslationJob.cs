using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace AyaQC.Translation.BackTranslation;

/// <summary>What a run did: rows written now, rows found already done, mismatches among the new rows, and the device
/// note (why it runs on CPU when CUDA was asked for with auto).</summary>
public sealed record BackTranslationSummary(int Total, int AlreadyDone, int Written, int Mismatches, double Seconds,
    string Device, string? DeviceNote, string Signature);

/// <summary>Runs the check over a JSONL file into a JSONL output, resumably: rows whose id is already in the output
/// are skipped, each batch is appended and flushed to disk before the next starts (a killed run loses at most the
/// batch in flight), and a torn last line left by a kill is cut off before appending.</summary>
public sealed class BackTranslationJob(BackTranslationCheck check, int batchSize)
{
    public BackTranslationSummary Run(IReadOnlyList<DatasetRow> rows, string outputPath, string device, string? deviceNote,
        Action<int, int>? progress = null, CancellationToken ct = default)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        var done = ReadFinishedIds(outputPath);
        var todo = rows.Where(r => !done.Contains(r.Id)).ToList();
        var alreadyDone = rows.Count - todo.Count;
        var started = Stopwatch.StartNew();
        var written = 0;
        var mismatches = 0;
        progress?.Invoke(alreadyDone, rows.Count);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        using (var stream = new FileStream(outputPath, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            for (var start = 0; start < todo.Count; start += batchSize)
            {
                ct.ThrowIfCancellationRequested();
                var batch = todo.GetRange(start, Math.Min(batchSize, todo.Count - start));
                var results = check.Check(batch, ct);
                var buffer = new MemoryStream();
                foreach (var r in results)
                {
                    WriteLine(buffer, r, check.Signature);
                    if (r.Mismatch) mismatches++;
                }
                stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                stream.Flush(flushToDisk: true);
                written += results.Count;
                progress?.Invoke(alreadyDone + written, rows.Count);
            }
        }
        return new BackTranslationSummary(rows.Count, alreadyDone, written, mismatches, started.Elapsed.TotalSeconds, device, deviceNote, check.Signature);
    }

    static void WriteLine(Stream into, BackTranslationResult r, string signature)
    {
        using (var json = new Utf8JsonWriter(into, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("id", r.Row.Id);
            json.WriteString("source_lang", r.Row.SourceLanguage);
            json.WriteString("target_lang", r.Row.TargetLanguage);
            json.WriteString("source", r.Row.Source);
            json.WriteString("translation", r.Row.Translation);
            json.WriteString("back_translation", r.BackTranslation);
            json.WriteNumber("chrf_pp", Math.Round(r.Similarity, 4));
            json.WriteNumber("length_ratio", Math.Round(r.LengthRatio, 4));
            json.WriteBoolean("mismatch", r.Mismatch);
            json.WriteBoolean("source_truncated", r.SourceTruncated);
            json.WriteString("signature", signature);
            json.WriteEndObject();
        }
        into.WriteByte((byte)'\n');
    }

    /// <summary>Ids already in the output. A last line without its newline (the run was killed while writing) is cut
    /// off so the file stays valid JSONL.</summary>
    public static HashSet<string> ReadFinishedIds(string outputPath)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(outputPath)) return ids;
        var bytes = File.ReadAllBytes(outputPath);
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (end < bytes.Length)
            using (var f = new FileStream(outputPath, FileMode.Open, FileAccess.Write)) f.SetLength(end);
        var lineNumber = 0;
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                ids.Add(doc.RootElement.GetProperty("id").GetString()!);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{outputPath} line {lineNumber}: not a back-translation result; refusing to append to it ({e.Message})");
            }
        }
        return ids;
    }
}
