using System.Text;
using AyaQC.Core.Qualification;
using AyaQC.Tests.Shared;

namespace AyaQC.Core.Tests.Qualification;

public class QualificationSetReaderTests
{
    static string Line(string id, string label = "good", string? type = null, string? expl = null,
        string src = "eng_Latn", string tgt = "swh_Latn", string? source = null, string? translation = null)
    {
        var fields = new List<string>
        {
            $"\"id\":\"{id}\"", $"\"source_lang\":\"{src}\"", $"\"target_lang\":\"{tgt}\"",
            $"\"source\":\"{source ?? "Where do aliens come from " + id}\"",
            $"\"translation\":\"{translation ?? "Viumbe wa anga za juu wanatoka wapi " + id}\"",
            $"\"label\":\"{label}\"",
        };
        if (type != null) fields.Add($"\"error_type\":\"{type}\"");
        if (expl != null) fields.Add($"\"explanation\":\"{expl}\"");
        return "{" + string.Join(",", fields) + "}";
    }

    static string BalancedSet(int perType = 5)
    {
        var lines = new List<string>();
        var n = 0;
        foreach (var type in ErrorTypes.All)
            for (var i = 0; i < perType; i++) lines.Add(Line($"b{n++}", "bad", type, "explained"));
        for (var i = 0; i < n; i++) lines.Add(Line($"g{i}"));
        return string.Join("\n", lines) + "\n";
    }

    [Fact]
    public void A_balanced_set_reads_without_problems()
    {
        var result = QualificationSetReader.Read(BalancedSet());
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Empty(result.Problems);
        Assert.Equal(90, result.Items.Count);
        Assert.Equal(Verdict.Bad, result.Items[0].Label);
    }

    [Fact]
    public void Each_bad_line_is_named_with_its_field()
    {
        var text = string.Join("\n",
            Line("a1"),
            "{not json",
            Line("a3", src: "english"),
            Line("a4", label: "bad"),
            Line("a5", label: "maybe"),
            Line("a6", translation: ""),
            Line("a7", label: "bad", type: "typo", expl: "x"),
            Line("a1"),
            "[1,2]");
        var problems = QualificationSetReader.Read(text).Problems;
        Assert.Contains(problems, p => p.Line == 2 && p.Field == "(line)" && p.Message.Contains("JSON"));
        Assert.Contains(problems, p => p.Line == 3 && p.Field == "source_lang" && p.Message.Contains("english"));
        Assert.Contains(problems, p => p.Line == 4 && p.Field == "error_type");
        Assert.Contains(problems, p => p.Line == 4 && p.Field == "explanation");
        Assert.Contains(problems, p => p.Line == 5 && p.Field == "label");
        Assert.Contains(problems, p => p.Line == 6 && p.Field == "translation" && p.Message == "empty");
        Assert.Contains(problems, p => p.Line == 7 && p.Field == "error_type" && p.Message.Contains("typo"));
        Assert.Contains(problems, p => p.Line == 8 && p.Field == "id" && p.Message.Contains("line 1"));
        Assert.Contains(problems, p => p.Line == 9 && p.Message.Contains("object"));
    }

    [Fact]
    public void Invalid_utf8_and_oversized_text_are_rejected_by_line()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes(Line("ok") + "\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("{\"id\":\"x\",\"source\":\"caf"));
        bytes.AddRange([0xC3, 0x28]); // an invalid two-byte sequence
        bytes.AddRange(Encoding.UTF8.GetBytes("\"}\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes(Line("big", translation: new string('a', QualificationSetReader.MaxTextBytes + 1)) + "\n"));
        var problems = QualificationSetReader.Read(bytes.ToArray()).Problems;
        Assert.Contains(problems, p => p.Line == 2 && p.Message.Contains("UTF-8"));
        Assert.Contains(problems, p => p.Line == 3 && p.Field == "translation" && p.Message.Contains("KB"));
    }

    [Fact]
    public void Set_level_checks_report_imbalance_and_missing_error_types()
    {
        var onlyGood = string.Join("\n", Enumerable.Range(0, 10).Select(i => Line($"g{i}")));
        var result = QualificationSetReader.Read(onlyGood);
        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Field == "label" && p.Message.Contains("unbalanced"));
        Assert.Contains(result.Problems, p => p.Field == "error_type" && !p.IsError && p.Message.Contains(ErrorTypes.WordSense));
    }

    [Fact]
    public void Same_source_and_translation_under_another_id_is_a_duplicate()
    {
        var text = Line("a", source: "Hello", translation: "Habari") + "\n" + Line("b", source: "hello ", translation: "habari");
        Assert.Contains(QualificationSetReader.Read(text).Problems, p => p.Line == 2 && p.Message.Contains("'a'"));
    }

    [Fact]
    public void The_shipped_en_sw_set_is_valid_and_large_enough()
    {
        var folder = RepoPaths.InRepo("qualification-sets", "en-sw");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.jsonl") : [];
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            var result = QualificationSetReader.Read(stream);
            Assert.True(result.Problems.Count == 0, $"{Path.GetFileName(file)}: {string.Join("; ", result.Problems.Take(10))}");
            Assert.True(result.Items.Count >= 300, $"{result.Items.Count} items");
            Assert.All(ErrorTypes.All, t => Assert.Contains(result.Items, i => i.ErrorType == t));
        }
    }
}
