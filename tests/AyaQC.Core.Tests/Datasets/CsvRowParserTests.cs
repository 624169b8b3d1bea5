using AyaQC.Core.Datasets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Core.Tests.Datasets;

public class CsvRowParserTests
{
    static readonly DatasetColumns Columns = new("eng_Latn", "swh_Latn", ["qe"]);

    static string Quote(string field) => "\"" + field.Replace("\"", "\"\"") + "\"";

    static List<ParsedRecord> ParseText(string text)
    {
        var parser = new CsvRowParser(Columns);
        var records = new List<ParsedRecord>();
        var number = 0;
        foreach (var line in text.Split('\n'))
            if (parser.Feed(++number, line) is { } r) records.Add(r);
        if (parser.Finish() is { } last) records.Add(last);
        return records;
    }

    /// <summary>Any texts (commas, quotes, line breaks included) written as RFC 4180 read back unchanged, each record
    /// named by the line it starts on.</summary>
    [Property(MaxTest = 200)]
    public Property Quoted_fields_round_trip(NonEmptyString[] sources, string[] notes)
    {
        var rows = sources.Select((s, i) => (Source: s.Get.Replace("\r", "").Trim() is { Length: > 0 } t ? t : "x",
            Note: (notes.Length > 0 ? notes[i % notes.Length] ?? "" : "").Replace("\r", ""))).ToList();
        var text = "id,source,translation,note\n" + string.Concat(rows.Select((r, i) =>
            $"r{i},{Quote(r.Source)},{Quote(r.Source + "!")},{Quote(r.Note)}\n"));
        var parsed = ParseText(text.TrimEnd('\n'));
        var expectedLine = 2;
        var ok = parsed.Count == rows.Count;
        for (var i = 0; ok && i < rows.Count; i++)
        {
            var rec = parsed[i].Record;
            ok = rec is not null && rec.Source == rows[i].Source && rec.Translation == rows[i].Source + "!" && rec.Line == expectedLine;
            expectedLine += 1 + rows[i].Source.Count(c => c == '\n') * 2 + rows[i].Note.Count(c => c == '\n');
        }
        return ok.Label(text);
    }

    [Fact]
    public void Signals_metadata_and_problems()
    {
        var parsed = ParseText("id,source,translation,qe,vendor\na,Hi,Jambo,0.5,v1\nb,Hi,Jambo,high,v2\nc,Hi,Jambo,1,2,3");
        Assert.Equal(0.5, parsed[0].Record!.Signals!["qe"]);
        Assert.Equal("{\"vendor\":\"v1\"}", parsed[0].Record!.MetadataJson);
        Assert.Equal(new RowProblem(3, "qe", "a signal column must hold a number, not 'high'"), Assert.Single(parsed[1].Problems));
        Assert.Equal((4, "(record)"), (parsed[2].Problems[0].Line, parsed[2].Problems[0].Field));
    }

    [Theory]
    [InlineData("eng_Latn", true)]
    [InlineData("swh_Latn", true)]
    [InlineData("xyz_Abcd", true)]
    [InlineData("swahili", false)]
    [InlineData("ENG_Latn", false)]
    [InlineData("eng_latn", false)]
    public void Language_codes_are_checked_by_shape(string code, bool ok) => Assert.Equal(ok, DatasetRowRules.LooksLikeLanguageCode(code));
}
