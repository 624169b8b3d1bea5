namespace AyaQC.Translation.Decoding;

/// <summary>Greedy decoding: each row takes its highest-scoring token until EOS or max_length; finished rows are fed
/// padding so the batch keeps stepping together.</summary>
internal static class GreedySearch
{
    public static List<long>[] Run(DecoderState state, DeviceKernels kernels, LogitRules rules, long startId, long padId, CancellationToken ct)
    {
        var rows = state.Rows;
        var sequences = Enumerable.Range(0, rows).Select(_ => new List<long> { startId }).ToArray();
        var finished = new bool[rows];
        var tokens = new long[rows];
        Array.Fill(tokens, startId);
        for (var curLength = 1; curLength < rules.MaxLength; curLength++)
        {
            ct.ThrowIfCancellationRequested();
            var logits = state.Step(tokens); // the state's own, valid until its next step
            var forced = rules.Forced(curLength);
            var choices = forced >= 0 ? null : kernels.ArgMax(logits, rules.EosBarred(curLength), state.LogitsType);
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
}
