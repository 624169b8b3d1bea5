using System.Text;
using AyaQC.Client.Contracts;
using AyaQC.Core.Qualification;

namespace AyaQC.Server.Qualification;

/// <summary>
/// Reads a JSONL gold set from raw bytes: invalid UTF-8 is reported by line before anything is parsed,
/// then AyaQC.Core's reader and set checks run, then our text limits. Any problem rejects the whole file.
/// </summary>
public static class GoldSetFile
{
    public const int MaxTextBytes = 100 * 1024;
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public sealed record Parsed(IReadOnlyList<GoldItem> Items, IReadOnlyList<FieldProblem> Problems)
    {
        public bool Ok => Problems.Count == 0 && Items.Count > 0;
    }

    public static Parsed Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble)) bytes = bytes[3..];
        var problems = new List<FieldProblem>();
        var line = 0;
        foreach (var range in SplitLines(bytes))
        {
            line++;
            try { StrictUtf8.GetCharCount(bytes[range]); }
            catch (DecoderFallbackException) { problems.Add(new(line, "(line)", "not valid UTF-8")); }
        }
        if (problems.Count > 0) return new([], problems);

        var read = QualificationSetReader.Read(new StringReader(StrictUtf8.GetString(bytes)));
        problems.AddRange(read.Problems.Select(p => new FieldProblem(p.Line, p.Field, p.Message)));
        var lineOf = LineNumbers(read.Items, bytes);
        foreach (var (item, i) in read.Items.Select((item, i) => (item, i)))
            problems.AddRange(TextProblems(item, lineOf[i]));
        if (problems.Count == 0)
            problems.AddRange(QualificationSetReader.Validate(read.Items).Select(p => new FieldProblem(p.Line == 0 ? null : p.Line, p.Field, p.Message)));
        if (problems.Count == 0 && read.Items.Count == 0) problems.Add(new(null, "(file)", "the set holds no items"));
        return new(read.Items, problems);
    }

    /// <summary>Empty or oversized texts (the limit is in UTF-8 bytes).</summary>
    public static IEnumerable<FieldProblem> TextProblems(GoldItem item, int? line)
    {
        foreach (var (field, text) in new[] { ("source", item.Source), ("translation", item.Translation), ("explanation", item.Explanation) })
        {
            if (text is null) continue;
            if (field != "explanation" && string.IsNullOrWhiteSpace(text)) yield return new(line, field, "text is empty");
            else if (Encoding.UTF8.GetByteCount(text) > MaxTextBytes) yield return new(line, field, $"text is longer than {MaxTextBytes / 1024} KB");
        }
    }

    static List<Range> SplitLines(ReadOnlySpan<byte> bytes)
    {
        var ranges = new List<Range>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] == (byte)'\n') { ranges.Add(start..i); start = i + 1; }
        if (start < bytes.Length) ranges.Add(start..bytes.Length);
        return ranges;
    }

    // The reader skips blank lines, so item i is not always on line i+1: find each item's line by its id.
    static int?[] LineNumbers(IReadOnlyList<GoldItem> items, ReadOnlySpan<byte> bytes)
    {
        var text = StrictUtf8.GetString(bytes).Split('\n');
        var result = new int?[items.Count];
        var next = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var needle = "\"" + items[i].Id + "\"";
            for (var l = next; l < text.Length; l++)
                if (text[l].Contains(needle, StringComparison.Ordinal)) { result[i] = l + 1; next = l + 1; break; }
        }
        return result;
    }
}
