using System.Collections.Concurrent;
using AyaQC.Translation.Onnx;

namespace AyaQC.Translation.Decoding;

/// <summary>Runs the <see cref="DeviceKernelGraphs"/> on the decoder's device: each step's logits are reduced to the
/// greedy token, or to the best k log-probabilities and tokens per row, before anything is copied to the host; beam
/// search reorders the KV cache rows in place on the device. Thread-safe (sessions are; bindings are per call).</summary>
internal sealed class DeviceKernels : IDisposable
{
    readonly OrtSessionSettings _settings;
    readonly Lazy<OrtInferenceSession> _argMax;
    readonly ConcurrentDictionary<int, Lazy<OrtInferenceSession>> _topK = new();
    readonly ConcurrentDictionary<(int Tensors, int Rank), Lazy<OrtInferenceSession>> _gather = new();
    readonly OrtValue _noBias, _eosBarred;
    readonly OrtDeviceMemory _host = OrtDeviceMemory.Host();

    public DeviceKernels(OrtSessionSettings settings, int vocabSize, int eosId)
    {
        _settings = settings;
        _argMax = new(() => new OrtInferenceSession("ayaqc:argmax", DeviceKernelGraphs.ArgMax(), _settings));
        _noBias = OrtValue.FromData(new float[vocabSize], vocabSize);
        var barred = new float[vocabSize];
        barred[eosId] = float.NegativeInfinity;
        _eosBarred = OrtValue.FromData<float>(barred, vocabSize);
    }

    /// <summary>A binding on the argmax graph for one decoding call to reuse at every step (a binding is not
    /// thread-safe, so each call has its own; the caller disposes it).</summary>
    public OrtIoBinding ArgMaxBinding() => new(_argMax.Value);

    /// <summary>The best token of each row of logits [rows, 1, vocab]; <paramref name="binding"/> from
    /// <see cref="ArgMaxBinding"/> saves creating one per step.</summary>
    public long[] ArgMax(OrtValue logits, bool eosBarred, OrtIoBinding? binding = null)
    {
        using var ids = Run(_argMax.Value, logits, eosBarred, binding)[0];
        return ids.Span<long>().ToArray();
    }

    /// <summary>Each row's <paramref name="k"/> best (log-probability, token), best first, as [rows × k] arrays.</summary>
    /// <remarks><paramref name="binding"/> from <see cref="TopKBinding"/> (same k) saves creating one per step.</remarks>
    public (float[] LogProbs, long[] Tokens) TopK(OrtValue logits, bool eosBarred, int k, OrtIoBinding? binding = null)
    {
        var outputs = Run(TopKSession(k), logits, eosBarred, binding);
        using (outputs[0])
        using (outputs[1])
            return (outputs[0].Span<float>().ToArray(), outputs[1].Span<long>().ToArray());
    }

    /// <summary>A binding on the top-<paramref name="k"/> graph for one decoding call (the caller disposes it).</summary>
    public OrtIoBinding TopKBinding(int k) => new(TopKSession(k));

    OrtInferenceSession TopKSession(int k) =>
        _topK.GetOrAdd(k, key => new(() => new OrtInferenceSession($"ayaqc:topk{key}", DeviceKernelGraphs.TopK(key), _settings))).Value;

    /// <summary>New tensors whose row r is row <paramref name="rows"/>[r] of each input, left in <paramref name="memory"/>.</summary>
    public OrtValue[] GatherRows(IReadOnlyList<OrtValue> tensors, ReadOnlySpan<long> rows, OrtDeviceMemory memory)
    {
        var key = (tensors.Count, tensors[0].Shape.Length);
        var session = _gather.GetOrAdd(key, k => new(() =>
            new OrtInferenceSession($"ayaqc:gather{k.Tensors}x{k.Rank}", DeviceKernelGraphs.GatherRows(k.Tensors, k.Rank), _settings))).Value;
        using var rowIds = OrtValue.FromData(rows, rows.Length);
        using var binding = new OrtIoBinding(session);
        binding.BindInput("rows", rowIds);
        for (var i = 0; i < tensors.Count; i++)
        {
            binding.BindInput($"in_{i}", tensors[i]);
            binding.BindOutput($"out_{i}", memory);
        }
        return binding.Run(Enumerable.Repeat(memory.IsHost, tensors.Count).ToArray());
    }

    static readonly bool[] OutputsOnHost = [true, true]; // argmax has one output, top-k two

    OrtValue[] Run(OrtInferenceSession session, OrtValue logits, bool eosBarred, OrtIoBinding? reuse = null)
    {
        var binding = reuse ?? new OrtIoBinding(session);
        try
        {
            binding.BindInput("logits", logits);
            binding.BindInput("bias", eosBarred ? _eosBarred : _noBias);
            // Rebound every run: a bound output keeps the tensor of the last run, which ORT would write into.
            foreach (var output in session.Outputs) binding.BindOutput(output.Name, _host);
            return binding.Run(OutputsOnHost);
        }
        finally
        {
            if (reuse == null) binding.Dispose();
        }
    }

    public void Dispose()
    {
        if (_argMax.IsValueCreated) _argMax.Value.Dispose();
        foreach (var s in _topK.Values.Concat(_gather.Values)) if (s.IsValueCreated) s.Value.Dispose();
        _noBias.Dispose();
        _eosBarred.Dispose();
        _host.Dispose();
    }
}
