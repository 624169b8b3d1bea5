using AyaQC.Translation.Onnx;

namespace AyaQC.Translation.Decoding;

/// <summary>One decoding call's KV cache, stepped one token at a time through an IoBinding.
/// Step 0 runs the no-past branch (merged model: use_cache_branch=false, zero-length past tensors); later steps feed the
/// last token with the previous step's present.*.decoder as past, and keep the step-0 present.*.encoder (the with-past
/// branch returns empty ones; overwriting the cross-attention KV with them breaks the third step). The KV cache stays
/// in <paramref name="kvMemory"/> (the GPU with CUDA), logits come back to the host.</summary>
internal sealed class DecoderState : IDisposable
{
    readonly Seq2SeqOnnxModel _model;
    readonly OrtValue _encoderHidden, _encoderMask;
    readonly OrtDeviceMemory _kvMemory, _host;
    readonly OrtValue[] _selfKv, _crossKv; // per layer: key, value
    readonly int _layers;
    int _step;

    public int Rows { get; }

    public DecoderState(Seq2SeqOnnxModel model, OrtValue encoderHidden, OrtValue encoderMask, OrtDeviceMemory kvMemory, OrtDeviceMemory host)
    {
        _model = model;
        _encoderHidden = encoderHidden;
        _encoderMask = encoderMask;
        _kvMemory = kvMemory;
        _host = host;
        _layers = model.Config.DecoderLayers;
        Rows = (int)encoderHidden.Shape[0];
        _selfKv = new OrtValue[2 * _layers];
        _crossKv = new OrtValue[2 * _layers];
    }

    /// <summary>Feeds one token per row; returns logits [rows, 1, vocab] on the host (caller disposes).</summary>
    public OrtValue Step(ReadOnlySpan<long> tokens)
    {
        var first = _step == 0;
        var session = first ? _model.FirstStep : _model.LaterSteps;
        using var ids = OrtValue.FromData(tokens, Rows, 1);
        using var useCache = session.Input("use_cache_branch") != null ? OrtValue.FromData<bool>([!first], 1) : null;
        var empty = new List<OrtValue>();
        var inputs = new Dictionary<string, OrtValue>
        {
            ["encoder_attention_mask"] = _encoderMask,
            ["input_ids"] = ids,
            ["encoder_hidden_states"] = _encoderHidden,
        };
        if (useCache != null) inputs["use_cache_branch"] = useCache;
        for (var i = 0; i < _layers; i++)
            for (var k = 0; k < 2; k++)
            {
                var kind = k == 0 ? "key" : "value";
                if (first)
                {
                    // The graph wants past inputs even on the no-past branch: zero-length [rows, H, 0, hd].
                    var none = OrtValue.Allocate<float>(Rows, _model.Heads, 0, _model.HeadDim);
                    empty.Add(none);
                    inputs[Seq2SeqOnnxModel.PastName(i, "decoder", kind)] = none;
                    inputs[Seq2SeqOnnxModel.PastName(i, "encoder", kind)] = none;
                }
                else
                {
                    inputs[Seq2SeqOnnxModel.PastName(i, "decoder", kind)] = _selfKv[2 * i + k];
                    inputs[Seq2SeqOnnxModel.PastName(i, "encoder", kind)] = _crossKv[2 * i + k];
                }
            }

        using var binding = new OrtIoBinding(session);
        try
        {
            foreach (var input in session.Inputs)
            {
                if (!inputs.TryGetValue(input.Name, out var value))
                    throw new InvalidOperationException($"{Path.GetFileName(session.ModelPath)} wants input {input.Name}, which AyaQC does not know");
                binding.BindInput(input.Name, value);
            }
            var outputNames = new List<string> { "logits" };
            var onHost = new List<bool> { true };
            binding.BindOutput("logits", _host);
            foreach (var output in session.Outputs)
            {
                if (output.Name == "logits") continue;
                outputNames.Add(output.Name);
                onHost.Add(_kvMemory.IsHost);
                binding.BindOutput(output.Name, _kvMemory);
            }
            var results = binding.Run(onHost);
            for (var o = 1; o < results.Length; o++)
            {
                var name = outputNames[o];
                var parts = name.Split('.'); // present.{i}.{decoder|encoder}.{key|value}
                var slot = 2 * int.Parse(parts[1]) + (parts[3] == "key" ? 0 : 1);
                if (parts[2] == "decoder")
                {
                    _selfKv[slot]?.Dispose();
                    _selfKv[slot] = results[o];
                }
                else if (first) _crossKv[slot] = results[o];
                else results[o].Dispose(); // the with-past branch's empty cross-attention KV
            }
            _step++;
            return results[0];
        }
        finally
        {
            foreach (var e in empty) e.Dispose();
        }
    }

    /// <summary>Beam search: row r continues from row <paramref name="sourceRows"/>[r]. Only the self-attention cache
    /// moves: beams of one sentence share their cross-attention KV. Needs the cache on the host.</summary>
    public void Reorder(ReadOnlySpan<int> sourceRows)
    {
        if (!_kvMemory.IsHost) throw new InvalidOperationException("beam reordering needs the KV cache on the host");
        var identity = true;
        for (var r = 0; r < sourceRows.Length; r++) identity &= sourceRows[r] == r;
        if (identity) return;
        for (var s = 0; s < _selfKv.Length; s++)
        {
            var old = _selfKv[s];
            var moved = OrtValue.Allocate<float>(old.Shape);
            var block = (int)(old.ElementCount / Rows);
            var from = old.Span<float>();
            var to = moved.Span<float>();
            for (var r = 0; r < Rows; r++) from.Slice(sourceRows[r] * block, block).CopyTo(to.Slice(r * block, block));
            old.Dispose();
            _selfKv[s] = moved;
        }
    }

    public void Dispose()
    {
        foreach (var v in _selfKv) v?.Dispose();
        foreach (var v in _crossKv) v?.Dispose();
    }
}
