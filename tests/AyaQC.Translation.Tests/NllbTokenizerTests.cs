using System.Text.Json;
using AyaQC.Translation.Tokenization;

namespace AyaQC.Translation.Tests;

public class NllbTokenizerTests
{
    static readonly NllbTokenizer Tokenizer = NllbTokenizer.Load(FixturePaths.SpmModel);

    [Fact]
    public void Ids_follow_the_fairseq_offset_and_language_codes_come_after_the_pieces()
    {
        var spm = Tokenizer.Bpe;
        Assert.Equal(["eng_Latn", "fra_Latn", "swh_Latn"], Tokenizer.LanguageCodes); // from tokenizer_config.json
        Assert.Equal(spm.Count + 1, Tokenizer.LanguageId("eng_Latn"));
        Assert.Equal(spm.Count + 3, Tokenizer.LanguageId("swh_Latn"));
        Assert.Equal(spm.Count + 4, Tokenizer.MaskId);
        var pieces = spm.Encode("Habari za asubuhi");
        Assert.Equal(pieces.Select(p => p.Id + 1), Tokenizer.EncodeText("Habari za asubuhi"));
        Assert.Equal([NllbTokenizer.UnkId], Tokenizer.EncodeText("Ü").Where(id => id == NllbTokenizer.UnkId).Distinct());
    }

    [Fact]
    public void NLLB_200s_own_list_puts_eng_Latn_and_swh_Latn_where_NLLB_has_them()
    {
        Assert.Equal(202, NllbLanguageCodes.All.Count);
        // With NLLB's 256,000 SentencePiece pieces: eng_Latn = 256047, swh_Latn = 256168.
        Assert.Equal(256047 - 256001, NllbLanguageCodes.All.ToList().IndexOf("eng_Latn"));
        Assert.Equal(256168 - 256001, NllbLanguageCodes.All.ToList().IndexOf("swh_Latn"));
        var withAll = new NllbTokenizer(Tokenizer.Bpe, NllbLanguageCodes.All);
        Assert.Equal(Tokenizer.Bpe.Count + 1 + 167, withAll.LanguageId("swh_Latn"));
        Assert.Throws<ArgumentException>(() => withAll.LanguageId("swa_Latn"));
    }

    [Fact]
    public void Sources_are_language_code_tokens_eos_and_match_python_sentencepiece()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FixturePaths.Dir("reference.json")));
        var sentences = doc.RootElement.GetProperty("sentences").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var expected = doc.RootElement.GetProperty("source_ids").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray();
        for (var i = 0; i < sentences.Length; i++)
            Assert.Equal(expected[i], Tokenizer.EncodeSource(sentences[i], "swh_Latn", 1024, out _));
    }

    [Fact]
    public void Long_sources_keep_their_first_tokens_and_say_so()
    {
        var ids = Tokenizer.EncodeSource("Habari za asubuhi, rafiki yangu. Wageni wanatoka wapi?", "swh_Latn", 6, out var truncated);
        Assert.True(truncated);
        Assert.Equal(6, ids.Length);
        Assert.Equal(Tokenizer.LanguageId("swh_Latn"), ids[0]);
        Assert.Equal(NllbTokenizer.EosId, ids[^1]);
        Assert.Equal(Tokenizer.EncodeText("Habari za asubuhi").Take(4).Select(x => (long)x), ids[1..^1]);
    }

    [Fact]
    public void Decoding_drops_special_and_language_ids()
    {
        var text = "Wageni wanatoka wapi?";
        var ids = Tokenizer.EncodeSource(text, "swh_Latn", 1024, out _).Prepend(NllbTokenizer.EosId).Append(Tokenizer.MaskId);
        Assert.Equal(text, Tokenizer.Decode(ids));
    }
}
