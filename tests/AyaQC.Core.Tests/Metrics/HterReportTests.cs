using AyaQC.Core.Charts;
using AyaQC.Core.Metrics;
using AyaQC.Core.Reports;

namespace AyaQC.Core.Tests.Metrics;

public class HterReportTests
{
    [Fact]
    public void Builder_aggregates_per_group_and_keeps_the_highest_rows_first_come_first_kept()
    {
        var builder = new HterReportBuilder(highestRows: 2, histogramBins: 4);
        builder.Add(new PostEditedRow("a b c d", "a b c d", "1", "en-sw", "amina"));      // 0
        builder.Add(new PostEditedRow("a b c d", "a b x d", "2", "en-sw", "amina"));      // 0.25
        builder.Add(new PostEditedRow("a b", "x y", "3", "en-sw", "baraka"));             // 1.0
        builder.Add(new PostEditedRow("p q", "r s", "4", null, null));                    // 1.0, later: does not evict "3"
        var report = builder.Build("rows.jsonl");

        var all = report.Overall;
        Assert.Equal(4, all.Rows);
        Assert.Equal(0.5625, all.MeanHter, 12);
        Assert.Equal(0.625, all.MedianHter, 12);
        Assert.Equal(5.0 / 12, all.CorpusHter, 12);
        Assert.Equal(0.25, all.UnchangedShare);
        Assert.Equal(5, all.Substitutions);
        Assert.Equal(["3", "4"], all.HighestRows.Select(r => r.Id));
        Assert.Equal([new TerStep(TerOperation.Substitution, "a", "x"), new TerStep(TerOperation.Substitution, "b", "y")], all.HighestRows[0].Alignment);
        Assert.Equal([1, 1, 0, 2], all.Histogram.Select(b => b.Rows)); // HTER 1.0 lands in the last bin
        Assert.Equal([HterReportBuilder.UnknownGroup, "en-sw"], report.ByLanguagePair.Select(g => g.Name));
        Assert.Equal([HterReportBuilder.UnknownGroup, "amina", "baraka"], report.ByPostEditor.Select(g => g.Name));
        Assert.Equal(0.5, report.ByPostEditor[1].UnchangedShare);
        Assert.Equal(new TranslationEditRate().Signature, report.Signature);
    }

    [Fact]
    public void Html_is_self_contained_and_escapes_row_text()
    {
        var builder = new HterReportBuilder();
        builder.Add(new PostEditedRow("<script>alert(1)</script>", "salama & \"safi\"", "x", "en-sw", "amina"));
        var html = HterReportHtml.Render(builder.Build());
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("<ins>salama</ins> <ins>&amp;</ins> <del>&lt;script&gt;alert(1)&lt;/script&gt;</del><ins>&quot;safi&quot;</ins>", html);
        Assert.Equal(2 * 3, html.Split("<svg").Length - 1); // histogram + edit kinds, for overall, pair and editor
    }

    [Fact]
    public void Histogram_counts_every_value_and_clamps_outliers_into_the_edge_bins()
    {
        var svg = SvgChart.Histogram("HTER", [0.0, 0.1, 0.5, 0.99, 1.7, -0.2], bins: 2, xLabel: "hter", min: 0, max: 1);
        Assert.StartsWith("<svg", svg);
        Assert.EndsWith("</svg>", svg);
        Assert.Contains("<title>≤0.5: 3</title>", svg);
        Assert.Contains("<title>≥0.5: 3</title>", svg);
    }

    [Fact]
    public void Bars_need_one_value_per_label_and_escape_labels()
    {
        var svg = SvgChart.Bars("Edits <by> kind", ["a&b", "c"], [3, 0]);
        Assert.Contains("Edits &lt;by&gt; kind", svg);
        Assert.Contains("a&amp;b: 3", svg);
        Assert.Throws<ArgumentException>(() => SvgChart.Bars("x", ["a"], [1, 2]));
    }
}
