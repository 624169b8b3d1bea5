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
        using var topK = kernels.TopKBinding(k);

        for (var curLength = 1; curLength < rules.MaxLength; curLength++)
        {
            ct.ThrowIfCancellationRequested();
            var newBeams = new List<long>[rows];
            var newScores = new double[rows];
            using (var logits = state.Step(tokens))
            {
                var forced = rules.Forced(curLength);
                var (logProbs, topTokens) = forced >= 0 ? ([], []) : kernels.TopK(logits, rules.EosBarred(curLength), k, topK);
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
                    var candidates = new List<(double Score, int Beam, long Token)>(numBeams * 2 * numBeams);
                    for (var b = 0; b < numBeams; b++)
                    {
                        if (forced >= 0) candidates.Add((scores[first + b], b, forced)); // log p = 0 for a forced token
                        else
                            for (var j = (first + b) * k; j < (first + b + 1) * k; j++)
                                candidates.Add((scores[first + b] + logProbs[j], b, topTokens[j]));
                    }
                    candidates.Sort((x, y) => y.Score.CompareTo(x.Score));
                    if (candidates.Count > 2 * numBeams) candidates.RemoveRange(2 * numBeams, candidates.Count - 2 * numBeams);

                    var filled = 0;
                    for (var rank = 0; rank < candidates.Count && filled < numBeams; rank++)
                    {
                        var (score, beam, token) = candidates[rank];
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
                        (earlyStopping || candidates[0].Score / Math.Pow(curLength, lengthPenalty) <= s.Worst))
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
