using AyaQC.Translation.Tokenization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;

namespace AyaQC.Translation.Tests;

/// <summary>Golden outputs come from Debian's spm_encode / spm_decode (sentencepiece 0.1.97) on the same model and
/// input; see Fixtures/make_fixtures.py.</summary>
public class SentencePieceBpeTests
{
    static readonly SentencePieceBpe Bpe = SentencePieceBpe.Load(FixturePaths.SpmModel);
    static readonly string[] Input = FixturePaths.Lines("spm_input.txt");

    public static TheoryData<int> LineNumbers()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Input.Length; i++) data.Add(i);
        return data;
    }

    [Theory, MemberData(nameof(LineNumbers))]
    public void Pieces_match_spm_encode(int line)
    {
        var expected = FixturePaths.Lines("spm", "spm_pieces.txt")[line];
        Assert.Equal(expected, string.Join(" ", Bpe.Encode(Input[line]).Select(p => p.Piece)));
    }

    [Theory, MemberData(nameof(LineNumbers))]
    public void Ids_match_spm_encode(int line)
    {
        var expected = FixturePaths.Lines("spm", "spm_ids.txt")[line];
        Assert.Equal(expected, string.Join(" ", Bpe.EncodeIds(Input[line])));
    }

    [Theory, MemberData(nameof(LineNumbers))]
    public void Decoding_matches_spm_decode(int line)
    {
        var ids = FixturePaths.Lines("spm", "spm_ids.txt")[line].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
        Assert.Equal(FixturePaths.Lines("spm", "spm_decoded.txt")[line], Bpe.Decode(ids));
    }

    [Fact]
    public void Normalisation_uses_the_models_charsmap()
    {
        Assert.Equal("▁file", Bpe.Normalize("ﬁle"));
        Assert.Equal("▁ABC123", Bpe.Normalize("ＡＢＣ１２３"));
        Assert.Equal("▁1▁2", Bpe.Normalize("①  ②"));
        Assert.Equal("▁a▁b", Bpe.Normalize("  a \t b  "));
        Assert.Equal("", Bpe.Normalize(" \t "));
    }

    [Fact]
    public void Unseen_characters_are_the_unknown_id()
    {
        var pieces = Bpe.Encode("Ü");
        Assert.Contains(pieces, p => p.Piece == "Ü" && p.Id == Bpe.UnknownId);
    }

    [Property(MaxTest = 300)]
    public Property Pieces_concatenate_to_the_normalised_text()
    {
        var chars = "abcdefghijklmnopqrstuvwxyz ABCKMW,.?!ﬁ①Ü\tнй".ToCharArray();
        return Prop.ForAll(Gen.ArrayOf(Gen.Elements(chars)).Select(a => new string(a)).ToArbitrary(), text =>
        {
            var pieces = Bpe.Encode(text);
            return string.Concat(pieces.Select(p => p.Piece)) == Bpe.Normalize(text)
                   && pieces.All(p => p.Id == Bpe.UnknownId || Bpe.IdToPiece(p.Id) == p.Piece);
        });
    }

    [Property(MaxTest = 300)]
    public Property Word_at_a_time_encoding_equals_whole_text_encoding()
    {
        var wholeText = new SentencePieceBpe(Bpe.Model, "whole text", wordAtATime: false);
        var chars = "aeiknmwstuyhz ABKW,.?ﬁ①Ü\tнй".ToCharArray();
        return Prop.ForAll(Gen.ArrayOf(Gen.Elements(chars)).Select(a => new string(a)).ToArbitrary(), text =>
        {
            // Twice: the second call reads its words from the cache.
            var expected = wholeText.Encode(text);
            return expected.SequenceEqual(Bpe.Encode(text)) && expected.SequenceEqual(Bpe.Encode(text));
        });
    }

    [Fact]
    public void A_unigram_model_is_refused_with_a_clear_error()
    {
        var bytes = MinimalModel(modelType: 1);
        var e = Assert.Throws<InvalidDataException>(() => new SentencePieceBpe(SentencePieceModelFile.Parse(bytes), "uni.model"));
        Assert.Contains("Unigram", e.Message);
        Assert.Contains("BPE", e.Message);
    }

    [Fact]
    public void A_minimal_bpe_model_merges_by_score()
    {
        var bpe = new SentencePieceBpe(SentencePieceModelFile.Parse(MinimalModel(modelType: 2)));
        // Pieces: <unk>, ▁a, ab, ▁ab (score order), so "ab" → ▁a + b → ▁ab.
        Assert.Equal(["▁ab"], bpe.Encode("ab").Select(p => p.Piece));
        Assert.Equal(["▁ab", "▁a"], bpe.Encode("ab a").Select(p => p.Piece));
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_refused()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "this is not protobuf at all, really not");
        try { Assert.ThrowsAny<InvalidDataException>(() => SentencePieceModelFile.Read(path)); }
        finally { File.Delete(path); }
    }

    static byte[] MinimalModel(int modelType)
    {
        using var ms = new MemoryStream();
        var output = new CodedOutputStream(ms);
        void Piece(string text, float score, int type)
        {
            using var inner = new MemoryStream();
            var p = new CodedOutputStream(inner);
            p.WriteTag(1, WireFormat.WireType.LengthDelimited); p.WriteString(text);
            p.WriteTag(2, WireFormat.WireType.Fixed32); p.WriteFloat(score);
            p.WriteTag(3, WireFormat.WireType.Varint); p.WriteEnum(type);
            p.Flush();
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(inner.ToArray()));
        }
        Piece("<unk>", 0, 2);
        Piece("▁a", -1, 1);
        Piece("ab", -2, 1);
        Piece("▁ab", -3, 1);
        Piece("▁", -4, 1);
        Piece("a", -5, 1);
        Piece("b", -6, 1);
        using (var trainer = new MemoryStream())
        {
            var t = new CodedOutputStream(trainer);
            t.WriteTag(3, WireFormat.WireType.Varint); t.WriteEnum(modelType);
            t.Flush();
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(trainer.ToArray()));
        }
        output.Flush();
        return ms.ToArray();
    }
}
