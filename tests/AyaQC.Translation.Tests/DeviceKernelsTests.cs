using AyaQC.Translation.Decoding;
using AyaQC.Translation.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AyaQC.Translation.Tests;

/// <summary>The in-memory ONNX graphs run on the decoder's device (ArgMax; LogSoftmax + TopK; Gather of rows).</summary>
public class DeviceKernelsTests
{
    const int Eos = 2;

    static DeviceKernels Reducer(int vocab) => new(new OrtSessionSettings(), vocab, Eos);

    [Fact]
    public void ArgMax_takes_each_rows_best_token_and_respects_the_eos_bar()
    {
        using var reducer = Reducer(5);
        using var logits = HostTensor.FromData<float>([0, 1, 9, 3, 2, /**/ 4, 4, 0, 1, 1], 2, 1, 5);
        Assert.Equal([2L, 0L], reducer.ArgMax(logits, eosBarred: false)); // ties: the first index
        Assert.Equal([3L, 0L], reducer.ArgMax(logits, eosBarred: true));
    }

    [Fact]
    public void TopK_gives_log_probabilities_best_first()
    {
        using var reducer = Reducer(4);
        float[] row = [1, 3, 2, 0.5f];
        using var logits = HostTensor.FromData<float>(row, 1, 1, 4);
        var (logProbs, tokens) = reducer.TopK(logits, eosBarred: false, k: 2);
        var logZ = Math.Log(row.Sum(x => Math.Exp(x)));
        Assert.Equal([1L, 2L], tokens);
        Assert.Equal(3 - logZ, logProbs[0], 5);
        Assert.Equal(2 - logZ, logProbs[1], 5);

        var (barredLogProbs, barredTokens) = reducer.TopK(logits, eosBarred: true, k: 2); // EOS (2) is out of the softmax too
        var logZBarred = Math.Log(Math.Exp(1) + Math.Exp(3) + Math.Exp(0.5));
        Assert.Equal([1L, 0L], barredTokens);
        Assert.Equal(3 - logZBarred, barredLogProbs[0], 5);
    }

    [Fact]
    public void GatherRows_moves_whole_rows_of_every_tensor()
    {
        using var kernels = Reducer(4);
        using var a = HostTensor.FromData<float>([1, 2, 3, 4, 5, 6], 3, 1, 1, 2);
        using var b = HostTensor.FromData<float>([10, 20, 30], 3, 1, 1, 1);
        // Plain run (host), and through a binding as on the GPU (here bound to host memory).
        foreach (var memory in new[] { null, OrtMemoryInfo.DefaultInstance })
        {
            var moved = kernels.GatherRows([a, b], [2, 2, 0, 1], memory);
            Assert.Equal([4L, 1, 1, 2], moved[0].Shape());
            Assert.Equal([5f, 6, 5, 6, 1, 2, 3, 4], moved[0].GetTensorDataAsSpan<float>().ToArray());
            Assert.Equal([30f, 30, 10, 20], moved[1].GetTensorDataAsSpan<float>().ToArray());
            foreach (var m in moved) m.Dispose();
        }
    }

    [Fact]
    public void Fp16_logits_and_tensors_are_reduced_and_moved_like_float_ones()
    {
        using var kernels = Reducer(5);
        Float16[] Half(params float[] values) => values.Select(v => (Float16)v).ToArray();
        using var logits = HostTensor.FromData<Float16>(Half(0, 1, 9, 3, 2, /**/ 4, 4, 0, 1, 1), 2, 1, 5);
        Assert.Equal([2L, 0L], kernels.ArgMax(logits, eosBarred: false));
        Assert.Equal([3L, 0L], kernels.ArgMax(logits, eosBarred: true));
        var (logProbs, tokens) = kernels.TopK(logits, eosBarred: false, k: 2);
        Assert.Equal([2L, 3L, 0L, 1L], tokens);
        Assert.Equal(9 - Math.Log(new[] { 0.0, 1, 9, 3, 2 }.Sum(Math.Exp)), logProbs[0], 4);

        using var kv = HostTensor.FromData<Float16>(Half(1, 2, 3, 4, 5, 6), 3, 1, 1, 2);
        var moved = kernels.GatherRows([kv], [2, 0], device: null);
        Assert.Equal(TensorElementType.Float16, moved[0].ElementType());
        Assert.Equal(Half(5, 6, 1, 2), moved[0].GetTensorDataAsSpan<Float16>().ToArray());
        moved[0].Dispose();
    }
}
