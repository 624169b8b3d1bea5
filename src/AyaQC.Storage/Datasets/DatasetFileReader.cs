using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using AyaQC.Core.Datasets;

namespace AyaQC.Storage.Datasets;

public enum DatasetFormat { Jsonl, Csv }

/// <summary>
/// Streams a dataset file (JSONL or CSV) into records: one line in memory at a time, strict UTF-8 (a bad byte is a
/// problem naming its line), a UTF-8 byte-order mark at the start skipped, CRLF accepted.
/// </summary>
public static class DatasetFileReader
{
    public const int MaxLineBytes = 4 * 1024 * 1024;
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async IAsyncEnumerable<ParsedRecord> ReadAsync(Stream stream, DatasetFormat format, DatasetColumns columns,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var csv = format == DatasetFormat.Csv ? new CsvRowParser(columns) : null;
        var lineNumber = 0;
        await foreach (var (line, tooLong) in LinesAsync(stream, ct))
        {
            lineNumber++;
            if (tooLong)
            {
                yield return new ParsedRecord(null, [new RowProblem(lineNumber, "(line)", $"is longer than {MaxLineBytes / 1024 / 1024} MB")]);
                continue;
            }
            var bytes = line.Span;
            if (lineNumber == 1 && bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
            var (text, utf8Problem) = Decode(bytes, lineNumber);
            if (utf8Problem is not null) yield return new ParsedRecord(null, [utf8Problem]);
            if (csv is not null)
            {
                if (csv.Feed(lineNumber, text) is { } record && utf8Problem is null) yield return record;
                if (csv.HeaderFailed) yield break;
            }
            else if (utf8Problem is null && !string.IsNullOrWhiteSpace(text))
                yield return JsonlRowParser.Parse(lineNumber, text, columns);
        }
        if (csv?.Finish() is { } last) yield return last;
    }

    static (string Text, RowProblem? Problem) Decode(ReadOnlySpan<byte> bytes, int line)
    {
        try { return (StrictUtf8.GetString(bytes), null); }
        catch (DecoderFallbackException e)
        {
            // CSV goes on with the lenient text so its quotes stay balanced; the row is rejected all the same.
            return (Encoding.UTF8.GetString(bytes), new RowProblem(line, "(line)", $"is not valid UTF-8 (byte {e.Index + 1} of the line)"));
        }
    }

    /// <summary>Lines without their line break (and a CR before it). A line over <see cref="MaxLineBytes"/> is
    /// skipped and reported as too long. The memory handed out is valid until the next line.</summary>
    static async IAsyncEnumerable<(ReadOnlyMemory<byte> Line, bool TooLong)> LinesAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        int start = 0, end = 0;
        var eof = false;
        var skipping = false; // inside a line that was too long, until its newline
        try
        {
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline >= 0)
                {
                    if (skipping) skipping = false;
                    else yield return (Trim(buffer.AsMemory(start, newline - start)), false);
                    start = newline + 1;
                    continue;
                }
                if (eof)
                {
                    if (end > start && !skipping) yield return (Trim(buffer.AsMemory(start, end - start)), false);
                    yield break;
                }
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buffer.Length)
                {
                    if (skipping) end = 0;
                    else if (buffer.Length >= MaxLineBytes)
                    {
                        yield return (ReadOnlyMemory<byte>.Empty, true);
                        skipping = true;
                        end = 0;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxLineBytes));
                        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }
                var read = await stream.ReadAsync(buffer.AsMemory(end), ct);
                if (read == 0) eof = true;
                end += read;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line) =>
        line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;
}
