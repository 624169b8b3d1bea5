using System.Collections.Concurrent;
using AyaQC.Translation.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AyaQC.Translation.Decoding;

/// <summary>Runs the <see cref="DeviceKernelGraphs"/> on the decoder's device: each step's logits are reduced to the
/// greedy token, or to the best k log-probabilities and tokens per row, before anything is copied to the host (a plain
/// Run hands its outputs back on the host); beam search reorders the KV cache rows on the device. Thread-safe.</summary>
internal sealed class DeviceKernels : IDisposable
{
    static readonly string[] LogitInputs = ["logits", "bias"];
    static readonly string[] ArgMaxOutputs = ["ids"];
    static readonly string[] TopKOutputs = ["scores", "ids"];

    readonly OrtSessionSettings _settings;
    // Sessions made on first use, per element type of the logits / tensors (float, or float16 for fp16 exports).
    readonly ConcurrentDictionary<int, Lazy<OnnxSession>> _argMax = new();
    readonly ConcurrentDictionary<(int K, int Type), Lazy<OnnxSession>> _topK = new();
    readonly ConcurrentDictionary<(int Tensors, int Rank, int Type), Lazy<OnnxSession>> _gather = new();
    readonly OrtValue _noBias, _eosBarred;

    public DeviceKernels(OrtSessionSettings settings, int vocabSize, int eosId)
    {
        _settings = settings;
        _noBias = HostTensor.FromData<float>(new float[vocabSize], vocabSize);
        var barred = new float[vocabSize];
        barred[eosId] = float.NegativeInfinity;
        _eosBarred = HostTensor.FromData<float>(barred, vocabSize);
    }

    /// <summary>The best token of each row of logits [rows, 1, vocab]; <paramref name="logitsType"/> saves asking
    /// ORT for the tensor's type at every step.</summary>
    public long[] ArgMax(OrtValue logits, bool eosBarred, TensorElementType? logitsType = null)
    {
        var type = (int)(logitsType ?? logits.ElementType());
        var session = _argMax.GetOrAdd(type, t => new(() => new OnnxSession($"ayaqc:argmax:{t}", DeviceKernelGraphs.ArgMax(t), _settings))).Value;
        using var outputs = session.Run(LogitInputs, [logits, eosBarred ? _eosBarred : _noBias], ArgMaxOutputs);
        return outputs.First().GetTensorDataAsSpan<long>().ToArray();
    }

    /// <summary>Each row's <paramref name="k"/> best (log-probability, token), best first, as [rows × k] arrays.</summary>
    public (float[] LogProbs, long[] Tokens) TopK(OrtValue logits, bool eosBarred, int k, TensorElementType? logitsType = null)
    {
        var session = _topK.GetOrAdd((k, (int)(logitsType ?? logits.ElementType())), key =>
            new(() => new OnnxSession($"ayaqc:topk{key.K}:{key.Type}", DeviceKernelGraphs.TopK(key.K, key.Type), _settings))).Value;
        using var outputs = session.Run(LogitInputs, [logits, eosBarred ? _eosBarred : _noBias], TopKOutputs);
        var scoresAndIds = outputs.ToArray();
        return (scoresAndIds[0].GetTensorDataAsSpan<float>().ToArray(), scoresAndIds[1].GetTensorDataAsSpan<long>().ToArray());
    }

    /// <summary>New tensors whose row r is row <paramref name="rows"/>[r] of each input: on the host, or left in
    /// <paramref name="device"/> memory through a binding.</summary>
    public OrtValue[] GatherRows(IReadOnlyList<OrtValue> tensors, ReadOnlySpan<long> rows, OrtMemoryInfo? device)
    {
        var info = tensors[0].GetTensorTypeAndShape();
        var key = (tensors.Count, info.Shape.Length, (int)info.ElementDataType);
        var session = _gather.GetOrAdd(key, k => new(() =>
            new OnnxSession($"ayaqc:gather{k.Tensors}x{k.Rank}:{k.Type}", DeviceKernelGraphs.GatherRows(k.Tensors, k.Rank, k.Type), _settings))).Value;
        using var rowIds = HostTensor.FromData(rows, rows.Length);
        var inputNames = new string[tensors.Count + 1];
        var inputs = new OrtValue[tensors.Count + 1];
        var outputNames = new string[tensors.Count];
        (inputNames[0], inputs[0]) = ("rows", rowIds);
        for (var i = 0; i < tensors.Count; i++)
        {
            (inputNames[i + 1], inputs[i + 1]) = ($"in_{i}", tensors[i]);
            outputNames[i] = $"out_{i}";
        }
        if (device == null) return session.Run(inputNames, inputs, outputNames).ToArray();
        using var binding = session.CreateBinding();
        for (var i = 0; i < inputs.Length; i++) binding.BindInput(inputNames[i], inputs[i]);
        foreach (var name in outputNames) binding.BindOutputToDevice(name, device);
        return session.Run(binding);
    }

    public void Dispose()
    {
        foreach (var s in _argMax.Values.Concat(_topK.Values).Concat(_gather.Values)) if (s.IsValueCreated) s.Value.Dispose();
        _noBias.Dispose();
        _eosBarred.Dispose();
    }
}
