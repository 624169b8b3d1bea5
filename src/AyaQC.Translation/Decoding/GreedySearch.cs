namespace AyaQC.Translation.Decoding;

/// <summary>Greedy decoding: each row takes its highest-scoring token until EOS or max_length; finished rows are fed
/// padding so the batch keeps stepping together.</summary>
internal static class GreedySearch
{
    public static List<long>[] Run(DecoderState state, LogitRules rules, long startId, long padId, CancellationToken ct)
    {
        var rows = state.Rows;
        var sequences = Enumerable.Range(0, rows).Select(_ => new List<long> { startId }).ToArray();
        var finished = new bool[rows];
        var tokens = new long[rows];
        Array.Fill(tokens, startId);
        for (var curLength = 1; curLength < rules.MaxLength; curLength++)
        {
            ct.ThrowIfCancellationRequested();
            using var logits = state.Step(tokens);
            var vocab = (int)(logits.ElementCount / rows);
            var forced = rules.Forced(curLength);
            var barred = rules.EosBarred(curLength) ? rules.Eos : -1;
            var choices = forced >= 0 ? null : ArgMaxRows(logits, rows, vocab, barred);
            var done = true;
            for (var r = 0; r < rows; r++)
            {
                if (finished[r]) { tokens[r] = padId; continue; }
                var next = forced >= 0 ? forced : choices![r];
                sequences[r].Add(next);
                tokens[r] = next;
                finished[r] = next == rules.Eos;
                done &= finished[r];
            }
            if (done) break;
        }
        return sequences;
    }

    /// <summary>Each row's best token; rows in parallel when the batch's logits are large (NLLB: 256k per row).</summary>
    static long[] ArgMaxRows(Onnx.OrtValue logits, int rows, int vocab, int barred)
    {
        var choices = new long[rows];
        if ((long)rows * vocab < 1 << 20)
        {
            var all = logits.Span<float>();
            for (var r = 0; r < rows; r++) choices[r] = LogitMath.ArgMax(all.Slice(r * vocab, vocab), barred);
        }
        else Parallel.For(0, rows, r => choices[r] = LogitMath.ArgMax(logits.Span<float>().Slice(r * vocab, vocab), barred));
        return choices;
    }
}
