using AyaQC.Cli.Metrics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Cli.Tests.Metrics;

public class LineReaderTests
{
    static List<string> ReadAll(string text, int bufferSize)
    {
        var reader = new LineReader(new StringReader(text), bufferSize);
        var lines = new List<string>();
        while (reader.TryReadLine(out var line)) lines.Add(line.ToString());
        return lines;
    }

    static List<string> Expected(string text)
    {
        var reader = new StringReader(text);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }

    [Property(MaxTest = 300)]
    public Property Splits_like_TextReader_ReadLine_for_any_buffer_size() =>
        Prop.ForAll(Gen.Zip(Gen.ArrayOf(Gen.Elements("a", "bc", "\t", "\n", "\r", "\r\n", "\u2028", "xyz")), Gen.Choose(1, 8)).ToArbitrary(), p =>
        {
            var text = string.Concat(p.Item1);
            return ReadAll(text, p.Item2).SequenceEqual(Expected(text));
        });

    [Fact]
    public void Long_lines_grow_the_buffer()
    {
        var longLine = new string('w', 10_000);
        Assert.Equal(["a", longLine, "b"], ReadAll("a\r\n" + longLine + "\rb", 16));
    }
}
