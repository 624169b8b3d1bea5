using AyaQC.Core.Filtering;

namespace AyaQC.Core.Tests.Filtering;

public class FeatureTableReaderTests
{
    static FeatureTable Read(string text, char sep = '\t', string? label = "label", IReadOnlyList<string>? features = null) =>
        FeatureTableReader.Read(new StringReader(text), sep, label, features, "rows.tsv");

    [Fact]
    public void Default_features_are_the_numeric_columns_and_missing_cells_stay_missing()
    {
        var t = Read("id\tsource\tlabel\tmt_score\tvotes\nr1\tHello\tgood\t0.9\t3\nr2\tBye\tbad\tNA\t\nr3\tYes\t\t0.5\t1\n");
        Assert.Equal(["mt_score", "votes"], t.Columns);
        Assert.Equal([true, false, null], t.Labels);
        Assert.Null(t.Values[1][0]);
        Assert.Null(t.Values[1][1]);
        Assert.Equal(0.5, t.Values[2][0]);
    }

    [Fact]
    public void Csv_with_quoted_fields_reads_like_tsv()
    {
        var csv = Read("id,source,label,mt_score\nr1,\"Hello, \"\"world\"\"\",good,0.9\nr2,x,bad,0.1\n", ',');
        var tsv = Read("id\tsource\tlabel\tmt_score\nr1\tHello, \"world\"\tgood\t0.9\nr2\tx\tbad\t0.1\n");
        Assert.Equal(tsv.DataHash, csv.DataHash);
    }

    [Theory]
    [InlineData("id\tlabel\tmt\nr1\tgood\t0.5\nr2\tbad\tabc\n", "line 3, column 'mt': 'abc' is not a number")]
    [InlineData("id\tlabel\tmt\nr1\tmaybe\t0.5\n", "line 2, column 'label': label 'maybe' must be good or bad")]
    [InlineData("id\tlabel\tmt\nr1\tgood\t0.5\nr1\tbad\t0.2\n", "line 3, column 'id': id 'r1' already on line 2")]
    [InlineData("id\tlabel\tmt\nr1\tgood\n", "line 2: 2 field(s), the header has 3")]
    [InlineData("name\tlabel\tmt\n", "line 1: header has no 'id' column")]
    public void Bad_input_names_line_and_column(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => Read(text, features: ["mt"]));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Hash_changes_with_any_value_and_not_with_reading_twice()
    {
        const string text = "id\tlabel\tmt\nr1\tgood\t0.5\nr2\tbad\t0.25\n";
        Assert.Equal(Read(text).DataHash, Read(text).DataHash);
        Assert.NotEqual(Read(text).DataHash, Read(text.Replace("0.25", "0.26")).DataHash);
        Assert.NotEqual(Read(text).DataHash, Read(text.Replace("r2\tbad", "r2\tgood")).DataHash);
        Assert.StartsWith("sha256:", Read(text).DataHash);
    }
}
