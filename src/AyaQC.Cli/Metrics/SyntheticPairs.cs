namespace AyaQC.Cli.Metrics;

/// <summary>
/// Deterministic pseudo-Swahili sentence pairs for benchmarks: a reference (the post-edit) of 15–40 words drawn
/// from a Zipf-distributed vocabulary of syllable words, and a hypothesis (the MT output) made from it by
/// realistic edits: substituted, dropped and added words, a moved block, changed punctuation and case.
/// </summary>
internal sealed class SyntheticPairs
{
    static readonly string[] Onsets = ["", "k", "m", "n", "w", "t", "s", "h", "l", "y", "b", "ch", "ng", "sh", "z", "j", "p", "f", "nd", "mb"];
    static readonly string[] Vowels = ["a", "a", "i", "u", "e", "o"];

    readonly Random _random;
    readonly string[] _vocabulary;
    readonly double[] _cumulative;

    public SyntheticPairs(int seed, int vocabularySize = 3000)
    {
        _random = new Random(seed);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (words.Count < vocabularySize) words.Add(Word());
        _vocabulary = [.. words];
        // Zipf: the word of rank r is drawn with weight 1/r.
        _cumulative = new double[vocabularySize];
        var sum = 0.0;
        for (var r = 0; r < vocabularySize; r++) _cumulative[r] = sum += 1.0 / (r + 1);
        for (var r = 0; r < vocabularySize; r++) _cumulative[r] /= sum;
    }

    public List<(string Hypothesis, string Reference)> Generate(int count, int minWords = 15, int maxWords = 40)
    {
        var pairs = new List<(string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var reference = new List<string>();
            var n = _random.Next(minWords, maxWords + 1);
            for (var w = 0; w < n; w++) reference.Add(Draw());
            var hypothesis = _random.NextDouble() < 0.1 ? [.. reference] : Edit(reference);
            pairs.Add((Sentence(hypothesis), Sentence(reference)));
        }
        return pairs;
    }

    string Word()
    {
        var syllables = _random.Next(1, 5);
        var s = "";
        for (var i = 0; i < syllables; i++) s += Onsets[_random.Next(Onsets.Length)] + Vowels[_random.Next(Vowels.Length)];
        return s;
    }

    string Draw()
    {
        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return _vocabulary[index < 0 ? Math.Min(~index, _vocabulary.Length - 1) : index];
    }

    List<string> Edit(List<string> reference)
    {
        var hyp = new List<string>();
        foreach (var word in reference)
        {
            var p = _random.NextDouble();
            if (p < 0.08) hyp.Add(Draw());                          // substitution
            else if (p < 0.12) { }                                  // the MT dropped a word
            else if (p < 0.16) { hyp.Add(word); hyp.Add(Draw()); }  // the MT added a word
            else hyp.Add(word);
        }
        if (hyp.Count > 8 && _random.NextDouble() < 0.35)
        {
            // Word-order error: a block of 2–5 words sits 3–10 positions away from where the post-editor wants it.
            var length = _random.Next(2, 6);
            var start = _random.Next(0, hyp.Count - length);
            var block = hyp.GetRange(start, length);
            hyp.RemoveRange(start, length);
            var target = Math.Clamp(start + (_random.Next(2) == 0 ? -1 : 1) * _random.Next(3, 11), 0, hyp.Count);
            hyp.InsertRange(target, block);
        }
        if (hyp.Count == 0) hyp.Add(Draw());
        return hyp;
    }

    /// <summary>Capitalised first word, an occasional comma, a final period (so tokenisers have work to do).</summary>
    string Sentence(List<string> words)
    {
        var parts = new string[words.Count];
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (i == 0) w = char.ToUpperInvariant(w[0]) + w[1..];
            if (i > 2 && i < words.Count - 1 && _random.NextDouble() < 0.06) w += ",";
            parts[i] = w;
        }
        return string.Join(' ', parts) + ".";
    }
}
