using System.Text.Json;
using AyaQC.Core.Metrics;
using AyaQC.Translation.BackTranslation;
using AyaQC.Translation.Decoding;

namespace AyaQC.Translation.Tests;

public class BackTranslationJobTests : IDisposable
{
    static readonly Lazy<NllbTranslator> Translator = new(() => NllbTranslator.Load(FixturePaths.TinyModel));
    readonly string _dir = Directory.CreateTempSubdirectory("ayaqc-bt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string WriteRows(int count)
    {
        var path = Path.Combine(_dir, "rows.jsonl");
        var sw = TorchReference.Instance.Sentences;
        File.WriteAllLines(path, Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = $"row-{i}", ["source_lang"] = "eng_Latn", ["target_lang"] = "swh_Latn",
            ["source"] = $"Sentence number {i} in English.", ["translation"] = sw[i % sw.Length],
        })));
        return path;
    }

    static BackTranslationCheck Check(double threshold = 35) =>
        new(Translator.Value, ChrF.PlusPlus.SentenceScore, "chrF2++", threshold, new DecodingOptions());

    static List<JsonElement> ReadOutput(string path) =>
        File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void A_rerun_skips_finished_rows_and_repairs_a_torn_last_line()
    {
        var rows = DatasetRowReader.ReadJsonl(WriteRows(23), "eng_Latn", "swh_Latn");
        var fresh = Path.Combine(_dir, "fresh.jsonl");
        new BackTranslationJob(Check(), 5).Run(rows, fresh, "CPU", null);

        var resumed = Path.Combine(_dir, "resumed.jsonl");
        var first = new BackTranslationJob(Check(), 5).Run(rows.Take(12).ToList(), resumed, "CPU", null);
        Assert.Equal(12, first.Written);
        File.AppendAllText(resumed, "{\"id\":\"row-12\",\"source_lang\":\"eng"); // killed while writing
        var second = new BackTranslationJob(Check(), 5).Run(rows, resumed, "CPU", null);
        Assert.Equal(12, second.AlreadyDone);
        Assert.Equal(11, second.Written);

        var output = ReadOutput(resumed);
        Assert.Equal(rows.Select(r => r.Id).Order(), output.Select(o => o.GetProperty("id").GetString()!).Order());
        Assert.Equal(File.ReadAllLines(fresh).Order(), File.ReadAllLines(resumed).Order());
    }

    [Fact]
    public void Results_carry_the_back_translation_score_ratio_and_flag()
    {
        var rows = DatasetRowReader.ReadJsonl(WriteRows(4), "eng_Latn", "swh_Latn");
        var results = Check(threshold: 101).Check(rows);
        for (var i = 0; i < rows.Count; i++)
        {
            var expectedText = Translator.Value.Tokenizer.Decode(TorchReference.Instance.Greedy[i]);
            Assert.Equal(expectedText, results[i].BackTranslation);
            Assert.Equal(ChrF.PlusPlus.SentenceScore(expectedText, rows[i].Source), results[i].Similarity);
            Assert.Equal((double)expectedText.Length / rows[i].Source.Length, results[i].LengthRatio, 9);
            Assert.True(results[i].Mismatch);
        }
        Assert.All(Check(threshold: 0).Check(rows), r => Assert.False(r.Mismatch));
        Assert.Contains("threshold:0", Check(threshold: 0).Signature);
    }

    [Fact]
    public void An_output_that_is_not_ours_is_not_appended_to()
    {
        var output = Path.Combine(_dir, "other.jsonl");
        File.WriteAllText(output, "hello world\n");
        var e = Assert.Throws<InvalidDataException>(() => BackTranslationJob.ReadFinishedIds(output));
        Assert.Contains("line 1", e.Message);
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"source\":\"x\",\"translation\":\"y\"}\nnot json", "line 2: not valid JSON")]
    [InlineData("{\"id\":\"a\",\"source\":\"x\"}", "line 1: field 'translation' is missing")]
    [InlineData("{\"source\":\"x\",\"translation\":\"y\"}", "line 1: field 'id' is missing")]
    [InlineData("{\"id\":\"a\",\"source\":\"x\",\"translation\":\"y\"}\n\n{\"id\":\"a\",\"source\":\"x\",\"translation\":\"y\"}", "line 3: id 'a' repeats line 1")]
    [InlineData("{\"id\":1,\"source\":\"x\",\"translation\":7}", "line 1: field 'translation' is missing or not a string")]
    public void Bad_rows_name_the_line_and_field(string content, string expected)
    {
        var path = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InvalidDataException>(() => DatasetRowReader.ReadJsonl(path, "eng_Latn", "swh_Latn"));
        Assert.Contains(expected, e.Message);
    }
}
