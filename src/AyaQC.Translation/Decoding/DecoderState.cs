using AyaQC.Translation.Onnx;

namespace AyaQC.Translation.Decoding;

/// <summary>One decoding call's KV cache, stepped one token at a time through an IoBinding.
/// Step 0 runs the no-past branch (merged model: use_cache_branch=false, zero-length past tensors); later steps feed the
/// last token with the previous step's present.*.decoder as past, and keep the step-0 present.*.encoder (the with-past
/// branch returns empty ones; overwriting the cross-attention KV with them breaks the third step). The KV cache stays
/// in the KV memory (the GPU with CUDA), and so do the logits, which <see cref="DeviceKernels"/> reduce there.</summary>
internal sealed class DecoderState : IDisposable
{
    enum Slot { EncoderMask, InputIds, EncoderHidden, UseCache, SelfKv, CrossKv, Logits }

    /// <summary>What to bind to each input and where each output goes, worked out once per session.</summary>
    sealed class Plan
    {
        public readonly OrtIoBinding Binding;
        public readonly (string Name, Slot Slot, int Index)[] Inputs, Outputs;
        public readonly bool[] OutputOnHost;
        // With-past steps leave the cross-attention KV outputs unbound: the step-0 ones are kept, and ORT then need
        // not hand back (and AyaQC wrap and release) the empty ones the with-past branch makes.
        public readonly (string Name, Slot Slot, int Index)[] LaterOutputs;
        public readonly bool[] LaterOutputOnHost;

        public Plan(OrtInferenceSession session, bool kvOnHost, bool logitsOnHost)
        {
            Binding = new OrtIoBinding(session);
            Inputs = session.Inputs.Select(i => (i.Name, Classify(i.Name, session))).Select(x => (x.Name, x.Item2.slot, x.Item2.index)).ToArray();
            Outputs = session.Outputs.Select(o => (o.Name, Classify(o.Name, session))).Select(x => (x.Name, x.Item2.slot, x.Item2.index)).ToArray();
            OutputOnHost = Outputs.Select(o => o.Slot == Slot.Logits ? logitsOnHost : kvOnHost).ToArray();
            LaterOutputs = Outputs.Where(o => o.Slot != Slot.CrossKv).ToArray();
            LaterOutputOnHost = LaterOutputs.Select(o => o.Slot == Slot.Logits ? logitsOnHost : kvOnHost).ToArray();
        }

        static (Slot slot, int index) Classify(string name, OrtInferenceSession session)
        {
            switch (name)
            {
                case "encoder_attention_mask": return (Slot.EncoderMask, 0);
                case "input_ids": return (Slot.InputIds, 0);
                case "encoder_hidden_states": return (Slot.EncoderHidden, 0);
                case "use_cache_branch": return (Slot.UseCache, 0);
                case "logits": return (Slot.Logits, 0);
            }
            var parts = name.Split('.'); // past_key_values.{i}.{decoder|encoder}.{key|value}, present.{i}...
            if (parts.Length == 4 && (parts[0] is "past_key_values" or "present") && int.TryParse(parts[1], out var layer)
                && parts[2] is "decoder" or "encoder" && parts[3] is "key" or "value")
                return (parts[2] == "decoder" ? Slot.SelfKv : Slot.CrossKv, 2 * layer + (parts[3] == "key" ? 0 : 1));
            throw new InvalidOperationException($"{Path.GetFileName(session.ModelPath)} has tensor {name}, which AyaQC does not know");
        }
    }

    readonly Seq2SeqOnnxModel _model;
    readonly OrtValue _encoderHidden, _encoderMask, _ids, _useCacheFalse, _useCacheTrue;
    readonly OrtDeviceMemory _kvMemory, _logitsMemory;
    readonly OrtValue?[] _selfKv, _crossKv; // per layer: key, value
    readonly Plan _firstPlan, _laterPlan;
    int _step;
    bool _laterInputsBound;

    public int Rows { get; }

    public DecoderState(Seq2SeqOnnxModel model, OrtValue encoderHidden, OrtValue encoderMask, OrtDeviceMemory kvMemory,
        OrtDeviceMemory logitsMemory)
    {
        _model = model;
        _encoderHidden = encoderHidden;
        _encoderMask = encoderMask;
        _kvMemory = kvMemory;
        _logitsMemory = logitsMemory;
        Rows = (int)encoderHidden.Shape[0];
        _selfKv = new OrtValue?[2 * model.Config.DecoderLayers];
        _crossKv = new OrtValue?[2 * model.Config.DecoderLayers];
        _ids = OrtValue.Allocate<long>(Rows, 1);
        _useCacheFalse = OrtValue.FromData<bool>([false], 1);
        _useCacheTrue = OrtValue.FromData<bool>([true], 1);
        _firstPlan = new Plan(model.FirstStep, kvMemory.IsHost, logitsMemory.IsHost);
        _laterPlan = ReferenceEquals(model.FirstStep, model.LaterSteps) ? _firstPlan : new Plan(model.LaterSteps, kvMemory.IsHost, logitsMemory.IsHost);
    }

    /// <summary>Feeds one token per row; returns logits [rows, 1, vocab] in the logits memory (caller disposes).</summary>
    public OrtValue Step(ReadOnlySpan<long> tokens)
    {
        var first = _step == 0;
        var plan = first ? _firstPlan : _laterPlan;
        tokens.CopyTo(_ids.Span<long>());
        // The graph wants past inputs even on the no-past branch: zero-length [rows, H, 0, hd].
        using var none = first ? OrtValue.Allocate<float>(Rows, _model.Heads, 0, _model.HeadDim) : null;
        var binding = plan.Binding;
        // After the first with-past step only the ids and the self-attention cache change (the ids are rebound too: a
        // CUDA session copies a host input to the device when it is bound); the other inputs stay bound.
        var bindAll = first || !_laterInputsBound;
        if (bindAll) binding.Clear();
        _laterInputsBound = !first;
        foreach (var (name, slot, index) in plan.Inputs)
        {
            if (!bindAll && slot is not (Slot.InputIds or Slot.SelfKv)) continue;
            var value = slot switch
            {
                Slot.EncoderMask => _encoderMask,
                Slot.InputIds => _ids,
                Slot.EncoderHidden => _encoderHidden,
                Slot.UseCache => first ? _useCacheFalse : _useCacheTrue,
                Slot.SelfKv => first ? none! : _selfKv[index]!,
                Slot.CrossKv => first ? none! : _crossKv[index]!,
                _ => throw new InvalidOperationException($"{name} is an output, not an input"),
            };
            binding.BindInput(name, value);
        }
        var outputs = first ? plan.Outputs : plan.LaterOutputs;
        foreach (var (name, slot, _) in outputs)
            binding.BindOutput(name, slot == Slot.Logits ? _logitsMemory : _kvMemory);

        var results = binding.Run(first ? plan.OutputOnHost : plan.LaterOutputOnHost);
        OrtValue? logits = null;
        for (var o = 0; o < results.Length; o++)
        {
            var (_, slot, index) = outputs[o];
            switch (slot)
            {
                case Slot.Logits: logits = results[o]; break;
                case Slot.SelfKv:
                    _selfKv[index]?.Dispose();
                    _selfKv[index] = results[o];
                    break;
                case Slot.CrossKv: _crossKv[index] = results[o]; break;
                default: results[o].Dispose(); break;
            }
        }
        _step++;
        return logits ?? throw new InvalidOperationException("the decoder returned no logits");
    }

    /// <summary>Beam search: row r continues from row <paramref name="sourceRows"/>[r]. Only the self-attention cache
    /// moves (on its device, one Gather run for all layers): beams of one sentence share their cross-attention KV.</summary>
    public void Reorder(ReadOnlySpan<int> sourceRows)
    {
        var identity = true;
        var rows = new long[sourceRows.Length];
        for (var r = 0; r < sourceRows.Length; r++)
        {
            identity &= sourceRows[r] == r;
            rows[r] = sourceRows[r];
        }
        if (identity) return;
        var moved = _model.Kernels.GatherRows(_selfKv!, rows, _kvMemory);
        for (var s = 0; s < _selfKv.Length; s++)
        {
            _selfKv[s]!.Dispose();
            _selfKv[s] = moved[s];
        }
    }

    public void Dispose()
    {
        foreach (var v in _selfKv) v?.Dispose();
        foreach (var v in _crossKv) v?.Dispose();
        _ids.Dispose();
        _useCacheFalse.Dispose();
        _useCacheTrue.Dispose();
        _firstPlan.Binding.Dispose();
        if (!ReferenceEquals(_firstPlan, _laterPlan)) _laterPlan.Binding.Dispose();
    }
}
