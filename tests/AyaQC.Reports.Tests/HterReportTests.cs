using AyaQC.Core.Metrics;
using AyaQC.Reports.Hter;

namespace AyaQC.Reports.Tests;

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
        var files = HterReportHtml.Render(builder.Build());
        var html = files.Html;
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("<ins>salama</ins> <ins>&amp;</ins> <del>&lt;script&gt;alert(1)&lt;/script&gt;</del><ins>&quot;safi&quot;</ins>", html);
        Assert.Equal(2 * 3, html.Split("<svg").Length - 1); // histogram + edit kinds, for overall, pair and editor
        Assert.Equal(2 * 3, files.Pngs.Count);
        Assert.All(files.Pngs, p => Assert.Contains($"href=\"hter-charts/{p.FileName}\"", html));
    }
}
