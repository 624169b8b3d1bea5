using AyaQC.Translation.Decoding;
using AyaQC.Translation.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace AyaQC.Translation.Tests;

/// <summary>The tiny random-weight model's ids must equal torch's (Fixtures/make_fixtures.py decodes without a KV
/// cache, so these also check the cache handling).</summary>
public class DecodingTests
{
    static readonly TorchReference Ref = TorchReference.Instance;
    static readonly Lazy<NllbTranslator> Merged = new(() => NllbTranslator.Load(FixturePaths.TinyModel, layout: DecoderLayout.Merged));
    static readonly Lazy<NllbTranslator> Split = new(() => NllbTranslator.Load(FixturePaths.TinyModel, layout: DecoderLayout.Split));

    // The CUDA path (IoBinding, outputs bound to a memory) run with host memory, so it is checked without a GPU.
    static readonly Lazy<NllbTranslator> MergedBound = new(() => Bound(NllbTranslator.Load(FixturePaths.TinyModel, layout: DecoderLayout.Merged)));
    static readonly Lazy<NllbTranslator> SplitBound = new(() => Bound(NllbTranslator.Load(FixturePaths.TinyModel, layout: DecoderLayout.Split)));

    static NllbTranslator Model(string layout) => layout switch
    {
        "merged" => Merged.Value,
        "split" => Split.Value,
        "merged-bound" => MergedBound.Value,
        _ => SplitBound.Value,
    };

    static Seq2SeqOnnxModel Inner(NllbTranslator t) =>
        (Seq2SeqOnnxModel)typeof(NllbTranslator).GetField("_model", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(t)!;

    static NllbTranslator Bound(NllbTranslator t)
    {
        Inner(t).BindingMemory = OrtMemoryInfo.DefaultInstance;
        return t;
    }

    [Theory, InlineData("merged"), InlineData("split"), InlineData("merged-bound"), InlineData("split-bound")]
    public void Greedy_batch_with_padding_equals_torch(string layout)
    {
        var ids = Model(layout).Generate(Ref.Sources, Ref.ForcedBos, new DecodingOptions { NumBeams = 1 });
        Assert.Equal(Ref.Greedy, ids);
    }

    [Theory, InlineData("merged"), InlineData("split"), InlineData("merged-bound"), InlineData("split-bound")]
    public void Each_row_alone_equals_the_padded_batch(string layout)
    {
        for (var i = 0; i < Ref.Sources.Length; i++)
            Assert.Equal(Ref.Greedy[i], Model(layout).Generate([Ref.Sources[i]], Ref.ForcedBos, new DecodingOptions())[0]);
    }

    [Theory, InlineData("merged"), InlineData("split"), InlineData("merged-bound"), InlineData("split-bound")]
    public void Beam_search_equals_torch(string layout)
    {
        Assert.NotEmpty(Ref.Beams);
        foreach (var (numBeams, lengthPenalty, expected) in Ref.Beams)
        {
            var ids = Model(layout).Generate(Ref.Sources, Ref.ForcedBos, new DecodingOptions { NumBeams = numBeams, LengthPenalty = lengthPenalty });
            Assert.Equal(expected, ids);
        }
    }

    [Fact]
    public void Beam_search_differs_from_greedy_on_this_fixture()
    {
        // Guards the fixture itself: if beams equalled greedy, the beam test would prove little.
        Assert.Contains(Ref.Beams, b => !b.Ids.SequenceEqual(Ref.Greedy, new RowComparer()));
    }

    [Fact]
    public void First_step_log_probabilities_equal_torch()
    {
        var t = Merged.Value;
        var model = Inner(t);
        var source = Ref.Sources[0];
        using var ids = HostTensor.FromData<long>(source, 1, source.Length);
        using var mask = HostTensor.FromData<long>(Enumerable.Repeat(1L, source.Length).ToArray(), 1, source.Length);
        using var hidden = model.Encode(ids, mask);
        using var state = new DecoderState(model, hidden, mask, device: null);
        var logits = state.Step([t.Config.DecoderStartId]);
        var row = logits.GetTensorDataAsSpan<float>().ToArray();
        var max = row.Max();
        var logZ = max + Math.Log(row.Sum(x => Math.Exp(x - max)));
        for (var i = 0; i < Ref.Step0LogProbsRow0.Length; i++)
            Assert.True(Math.Abs(Ref.Step0LogProbsRow0[i] - (row[i] - logZ)) < 1e-4, $"id {i}: torch {Ref.Step0LogProbsRow0[i]}, ours {row[i] - logZ}");
    }

    [Fact]
    public void Translate_goes_from_text_to_text()
    {
        var outputs = Merged.Value.Translate(Ref.Sentences, "swh_Latn", "eng_Latn");
        Assert.Equal(Ref.Greedy, outputs.Select(o => o.Ids));
        Assert.All(outputs, o => Assert.False(o.SourceTruncated));
        Assert.Equal(Merged.Value.Tokenizer.Decode(Ref.Greedy[1]), outputs[1].Text);
        Assert.NotEqual("", outputs[0].Text);
    }

    [Fact]
    public void Fixed_length_decodes_exactly_that_many_steps()
    {
        var ids = Merged.Value.Generate(Ref.Sources, Ref.ForcedBos, DecodingOptions.FixedLength(9));
        Assert.All(ids, row =>
        {
            Assert.Equal(10, row.Length); // start token + 9 generated, the last forced to EOS
            Assert.Equal(2, row[^1]);
            Assert.DoesNotContain(2L, row[1..^1]);
        });
    }

    [Fact]
    public void Concurrent_calls_give_the_same_ids()
    {
        var results = new long[8][][];
        Parallel.For(0, results.Length, i =>
            results[i] = Merged.Value.Generate(Ref.Sources, Ref.ForcedBos, new DecodingOptions { NumBeams = 1 + i % 3 }));
        for (var i = 0; i < results.Length; i++)
            Assert.Equal(Merged.Value.Generate(Ref.Sources, Ref.ForcedBos, new DecodingOptions { NumBeams = 1 + i % 3 }), results[i]);
    }

    [Fact]
    public void A_cancelled_call_stops()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Merged.Value.Generate(Ref.Sources, Ref.ForcedBos, new DecodingOptions(), cts.Token));
    }

    sealed class RowComparer : IEqualityComparer<long[]>
    {
        public bool Equals(long[]? a, long[]? b) => a!.SequenceEqual(b!);
        public int GetHashCode(long[] a) => a.Length;
    }
}
