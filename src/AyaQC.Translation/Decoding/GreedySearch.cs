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
            var all = logits.Span<float>();
            var vocab = all.Length / rows;
            var forced = rules.Forced(curLength);
            var done = true;
            for (var r = 0; r < rows; r++)
            {
                if (finished[r]) { tokens[r] = padId; continue; }
                var next = forced >= 0 ? forced : ArgMax(all.Slice(r * vocab, vocab), rules.EosBarred(curLength) ? rules.Eos : -1);
                sequences[r].Add(next);
                tokens[r] = next;
                finished[r] = next == rules.Eos;
                done &= finished[r];
            }
            if (done) break;
        }
        return sequences;
    }

    static long ArgMax(ReadOnlySpan<float> row, int barred)
    {
        var best = barred == 0 ? 1 : 0;
        for (var i = best + 1; i < row.Length; i++)
            if (row[i] > row[best] && i != barred) best = i;
        return best;
    }
}
