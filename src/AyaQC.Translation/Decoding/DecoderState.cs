using AyaQC.Translation.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AyaQC.Translation.Decoding;

/// <summary>One decoding call's KV cache, stepped one token at a time.
/// Step 0 runs the no-past branch (merged model: use_cache_branch=false, zero-length past tensors); later steps feed the
/// last token with the previous step's present.*.decoder as past, and keep the step-0 present.*.encoder (the with-past
/// branch returns empty ones; overwriting the cross-attention KV with them breaks the third step).
/// Two ways to run: on the host, plain runs into tensors allocated here (the logits buffer is reused every step); with
/// a device memory (CUDA), an IoBinding keeps the KV cache and the logits on the device from the first step to the
/// last, where <see cref="DeviceKernels"/> reduce the logits.</summary>
internal sealed class DecoderState : IDisposable
{
    enum Slot { EncoderMask, InputIds, EncoderHidden, UseCache, SelfKv, CrossKv, Logits }

    /// <summary>What to feed each input and what each output holds, worked out once per session.</summary>
    sealed class Plan
    {
        public readonly OnnxSession Session;
        public readonly string[] InputNames, OutputNames, LaterOutputNames;
        public readonly (Slot Slot, int Index)[] Inputs, Outputs, LaterOutputs;
        public readonly OrtValue[] InputValues;
        public readonly OrtIoBinding? Binding;

        public Plan(OnnxSession session, bool bind)
        {
            Session = session;
            InputNames = session.Inputs.Select(i => i.Name).ToArray();
            Inputs = InputNames.Select(n => Classify(n, session)).ToArray();
            InputValues = new OrtValue[InputNames.Length];
            OutputNames = session.Outputs.Select(o => o.Name).ToArray();
            Outputs = OutputNames.Select(n => Classify(n, session)).ToArray();
            // With-past steps do not ask for the cross-attention KV: the step-0 ones are kept, and ORT then need not
            // hand back (and AyaQC release) the empty ones the with-past branch makes.
            var later = Enumerable.Range(0, Outputs.Length).Where(o => Outputs[o].Slot != Slot.CrossKv).ToArray();
            LaterOutputNames = later.Select(o => OutputNames[o]).ToArray();
            LaterOutputs = later.Select(o => Outputs[o]).ToArray();
            Binding = bind ? session.CreateBinding() : null;
        }

        static (Slot slot, int index) Classify(string name, OnnxSession session)
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
    readonly long[] _idsBuffer; // _ids' memory (pinned by the OrtValue): each step's tokens are written here
    readonly OrtMemoryInfo? _device;
    readonly OrtValue?[] _selfKv, _crossKv; // per layer: key, value
    readonly OrtValue[] _laterOutputs;
    readonly Plan _firstPlan, _laterPlan;
    OrtValue? _logits;
    int _step;
    bool _laterInputsBound;

    public int Rows { get; }

    /// <summary>The logits' element type (float, or float16 for an fp16 export), so the kernels need not ask ORT.</summary>
    public TensorElementType LogitsType { get; }

    /// <param name="device">null: run on the host; else bind outputs to this memory (the CUDA device's).</param>
    public DecoderState(Seq2SeqOnnxModel model, OrtValue encoderHidden, OrtValue encoderMask, OrtMemoryInfo? device)
    {
        _model = model;
        _encoderHidden = encoderHidden;
        _encoderMask = encoderMask;
        _device = device;
        Rows = (int)encoderHidden.Shape()[0];
        _selfKv = new OrtValue?[2 * model.Config.DecoderLayers];
        _crossKv = new OrtValue?[2 * model.Config.DecoderLayers];
        _idsBuffer = new long[Rows];
        _ids = OrtValue.CreateTensorValueFromMemory(_idsBuffer, [Rows, 1]);
        LogitsType = model.FirstStep.Output("logits")!.ElementType;
        _useCacheFalse = HostTensor.FromData<bool>([false], 1);
        _useCacheTrue = HostTensor.FromData<bool>([true], 1);
        _firstPlan = new Plan(model.FirstStep, device != null);
        _laterPlan = ReferenceEquals(model.FirstStep, model.LaterSteps) ? _firstPlan : new Plan(model.LaterSteps, device != null);
        _laterOutputs = new OrtValue[_laterPlan.LaterOutputNames.Length];
    }

    /// <summary>Feeds one token per row; returns logits [rows, 1, vocab], owned by the state and valid until the next
    /// step (on the device with a device memory).</summary>
    public OrtValue Step(ReadOnlySpan<long> tokens)
    {
        var first = _step == 0;
        var plan = first ? _firstPlan : _laterPlan;
        tokens.CopyTo(_idsBuffer);
        // The graph wants past inputs even on the no-past branch: zero-length [rows, H, 0, hd].
        using var none = first ? HostTensor.Allocate(_model.KvType, Rows, _model.Heads, 0, _model.HeadDim) : null;
        for (var i = 0; i < plan.Inputs.Length; i++)
        {
            var (slot, index) = plan.Inputs[i];
            plan.InputValues[i] = slot switch
            {
                Slot.EncoderMask => _encoderMask,
                Slot.InputIds => _ids,
                Slot.EncoderHidden => _encoderHidden,
                Slot.UseCache => first ? _useCacheFalse : _useCacheTrue,
                Slot.SelfKv => first ? none! : _selfKv[index]!,
                Slot.CrossKv => first ? none! : _crossKv[index]!,
                _ => throw new InvalidOperationException($"{plan.InputNames[i]} is an output, not an input"),
            };
        }
        if (plan.Binding != null) RunBound(plan, first);
        else if (first) Keep(plan.Outputs, plan.Session.Run(plan.InputNames, plan.InputValues, plan.OutputNames).ToArray());
        else RunIntoBuffers(plan);
        _step++;
        return _logits ?? throw new InvalidOperationException("the decoder returned no logits");
    }

    /// <summary>Host path after step 0: the logits go into the step-0 logits tensor again, and the self-attention
    /// cache into new tensors one position longer than the past (ORT allocates nothing for the outputs).</summary>
    void RunIntoBuffers(Plan plan)
    {
        for (var o = 0; o < plan.LaterOutputs.Length; o++)
        {
            var slot = plan.LaterOutputs[o].Slot;
            if (slot == Slot.Logits) { _laterOutputs[o] = _logits!; continue; }
            // Step s (from 1) feeds a past of s positions and gets back s + 1.
            _laterOutputs[o] = HostTensor.Allocate(_model.KvType, Rows, _model.Heads, _step + 1, _model.HeadDim);
        }
        plan.Session.Run(plan.InputNames, plan.InputValues, plan.LaterOutputNames, _laterOutputs);
        for (var o = 0; o < plan.LaterOutputs.Length; o++)
            if (plan.LaterOutputs[o].Slot == Slot.SelfKv) Replace(_selfKv, plan.LaterOutputs[o].Index, _laterOutputs[o]);
    }

    /// <summary>Device path: after the first with-past step only the ids and the self-attention cache change (the ids
    /// are rebound too: a CUDA session copies a host input to the device when it is bound); the rest stays bound.
    /// Outputs are rebound every step, so each step's outputs are new tensors on the device.</summary>
    void RunBound(Plan plan, bool first)
    {
        var binding = plan.Binding!;
        var bindAll = first || !_laterInputsBound;
        if (bindAll) binding.ClearBoundInputs();
        binding.ClearBoundOutputs();
        _laterInputsBound = !first;
        for (var i = 0; i < plan.Inputs.Length; i++)
            if (bindAll || plan.Inputs[i].Slot is Slot.InputIds or Slot.SelfKv)
                binding.BindInput(plan.InputNames[i], plan.InputValues[i]);
        var names = first ? plan.OutputNames : plan.LaterOutputNames;
        foreach (var name in names) binding.BindOutputToDevice(name, _device!);
        Keep(first ? plan.Outputs : plan.LaterOutputs, plan.Session.Run(binding));
    }

    void Keep((Slot Slot, int Index)[] outputs, OrtValue[] results)
    {
        for (var o = 0; o < results.Length; o++)
        {
            var (slot, index) = outputs[o];
            switch (slot)
            {
                case Slot.Logits:
                    _logits?.Dispose();
                    _logits = results[o];
                    break;
                case Slot.SelfKv: Replace(_selfKv, index, results[o]); break;
                case Slot.CrossKv: Replace(_crossKv, index, results[o]); break;
                default: results[o].Dispose(); break;
            }
        }
    }

    static void Replace(OrtValue?[] cache, int index, OrtValue value)
    {
        var start = OrtRuntime.Now();
        cache[index]?.Dispose(); // releasing an ORT tensor counts as time in ORT, as allocating one does
        OrtRuntime.AddOrtTicks(OrtRuntime.Now() - start);
        cache[index] = value;
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
        var moved = _model.Kernels.GatherRows(_selfKv!, rows, _device);
        for (var s = 0; s < _selfKv.Length; s++) Replace(_selfKv, s, moved[s]);
    }

    public void Dispose()
    {
        foreach (var v in _selfKv) v?.Dispose();
        foreach (var v in _crossKv) v?.Dispose();
        _logits?.Dispose();
        _ids.Dispose();
        _useCacheFalse.Dispose();
        _useCacheTrue.Dispose();
        _firstPlan.Binding?.Dispose();
        if (!ReferenceEquals(_firstPlan, _laterPlan)) _laterPlan.Binding?.Dispose();
    }
}
