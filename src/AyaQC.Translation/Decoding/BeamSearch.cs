namespace AyaQC.Translation.Decoding;

/// <summary>Beam search as HF transformers runs it for encoder-decoders (with early_stopping=false by default):
/// each sentence keeps <c>numBeams</c> running beams; per step the best 2×numBeams continuations are ranked, an EOS
/// continuation becomes a finished hypothesis only when ranked among the first numBeams, the others fill the beams.
/// A hypothesis scores sum(log p) / len^lengthPenalty, len counting the decoder start token and not the EOS.
/// A sentence is done when numBeams hypotheses exist and the step's best score, over the current length, cannot beat
/// the worst of them (or at once with early stopping), or at max_length.</summary>
internal static class BeamSearch
{
    sealed class Sentence(int numBeams)
    {
        public readonly List<(double Score, List<long> Tokens)> Hypotheses = [];
        public bool Done;

        public void Add(double score, List<long> tokens)
        {
            Hypotheses.Add((score, tokens));
            Hypotheses.Sort((a, b) => b.Score.CompareTo(a.Score));
            if (Hypotheses.Count > numBeams) Hypotheses.RemoveAt(Hypotheses.Count - 1);
        }

        public double Worst => Hypotheses[^1].Score;
    }

    /// <summary>The best <c>capacity</c> continuations of one sentence, best first; equal scores keep the order they
    /// were offered in (beam, then rank). Insertion into a short sorted array: no sort call, no allocation per step.</summary>
    sealed class BestCandidates(int capacity)
    {
        readonly (double Score, int Beam, long Token)[] _items = new (double, int, long)[capacity];

        public int Count { get; private set; }
        public ReadOnlySpan<(double Score, int Beam, long Token)> Items => _items.AsSpan(0, Count);

        public void Clear() => Count = 0;

        /// <summary>False when the candidate ranks below all kept ones and the list is full.</summary>
        public bool Add(double score, int beam, long token)
        {
            if (Count == capacity && !(score > _items[Count - 1].Score)) return false;
            var at = Count == capacity ? Count - 1 : Count++;
            while (at > 0 && score > _items[at - 1].Score)
            {
                _items[at] = _items[at - 1];
                at--;
            }
            _items[at] = (score, beam, token);
            return true;
        }
    }

    public static List<long>[] Run(DecoderState state, DeviceKernels kernels, LogitRules rules, int numBeams, double lengthPenalty, bool earlyStopping,
        long startId, long padId, CancellationToken ct)
    {
        var rows = state.Rows;
        var groups = rows / numBeams;
        var beams = Enumerable.Range(0, rows).Select(_ => new List<long> { startId }).ToArray();
        var scores = new double[rows];
        for (var r = 0; r < rows; r++) scores[r] = r % numBeams == 0 ? 0 : -1e9; // only one live beam at the start
        var sentences = Enumerable.Range(0, groups).Select(_ => new Sentence(numBeams)).ToArray();
        var tokens = new long[rows];
        Array.Fill(tokens, startId);
        var sources = new int[rows];
        var k = 2 * numBeams;
        var candidates = new BestCandidates(k);

        for (var curLength = 1; curLength < rules.MaxLength; curLength++)
        {
            ct.ThrowIfCancellationRequested();
            var newBeams = new List<long>[rows];
            var newScores = new double[rows];
            var logits = state.Step(tokens); // the state's own, valid until its next step
            {
                var forced = rules.Forced(curLength);
                var (logProbs, topTokens) = forced >= 0 ? ([], []) : kernels.TopK(logits, rules.EosBarred(curLength), k, state.LogitsType);
                for (var g = 0; g < groups; g++)
                {
                    var first = g * numBeams;
                    if (sentences[g].Done)
                    {
                        for (var b = 0; b < numBeams; b++)
                        {
                            sources[first + b] = first + b;
                            newBeams[first + b] = beams[first + b];
                            tokens[first + b] = padId;
                        }
                        continue;
                    }
                    candidates.Clear();
                    for (var b = 0; b < numBeams; b++)
                    {
                        if (forced >= 0) candidates.Add(scores[first + b], b, forced); // log p = 0 for a forced token
                        else
                            for (var j = (first + b) * k; j < (first + b + 1) * k; j++)
                                if (!candidates.Add(scores[first + b] + logProbs[j], b, topTokens[j])) break; // the rest of this beam scores lower
                    }

                    var filled = 0;
                    for (var rank = 0; rank < candidates.Count && filled < numBeams; rank++)
                    {
                        var (score, beam, token) = candidates.Items[rank];
                        if (token == rules.Eos)
                        {
                            if (rank < numBeams)
                                sentences[g].Add(score / Math.Pow(curLength, lengthPenalty), [.. beams[first + beam], token]);
                            continue;
                        }
                        var row = first + filled++;
                        sources[row] = first + beam;
                        newBeams[row] = [.. beams[first + beam], token];
                        newScores[row] = score;
                        tokens[row] = token;
                    }
                    for (; filled < numBeams; filled++) // only under forced EOS: nothing left to continue
                    {
                        var row = first + filled;
                        sources[row] = row;
                        newBeams[row] = beams[row];
                        newScores[row] = double.NegativeInfinity;
                        tokens[row] = padId;
                    }
                    var s = sentences[g];
                    if (s.Hypotheses.Count == numBeams &&
                        (earlyStopping || candidates.Items[0].Score / Math.Pow(curLength, lengthPenalty) <= s.Worst))
                        s.Done = true;
                    if (curLength + 1 >= rules.MaxLength) s.Done = true;
                }
            }
            beams = newBeams;
            scores = newScores;
            if (sentences.All(s => s.Done)) break;
            state.Reorder(sources);
        }

        var best = new List<long>[groups];
        for (var g = 0; g < groups; g++)
        {
            var s = sentences[g];
            // Reached max_length without enough finished hypotheses: running beams count too.
            for (var b = 0; b < numBeams && s.Hypotheses.Count < numBeams; b++)
                if (!double.IsNegativeInfinity(scores[g * numBeams + b]))
                    s.Add(scores[g * numBeams + b] / Math.Pow(beams[g * numBeams + b].Count, lengthPenalty), beams[g * numBeams + b]);
            best[g] = s.Hypotheses[0].Tokens;
        }
        return best;
    }
}
