using System.CommandLine;
using System.Globalization;
using System.Text;
using AyaQC.Core.Metrics;

namespace AyaQC.Cli.Metrics;

/// <summary>
/// <c>ayaqc score</c>: one score per <c>hypothesis&lt;TAB&gt;reference</c> line, then the corpus score, streamed
/// (memory does not grow with the input).
/// </summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var metric = new Option<string>("--metric") { Description = "ter, chrf, chrf++ or bleu", Required = true };
        metric.AcceptOnlyFromAmong("ter", "chrf", "chrf++", "bleu");
        var input = new Option<string>("--input") { Description = "TSV file of hypothesis<TAB>reference lines ('-' for standard input)", Required = true };
        var output = new Option<string?>("--output") { Description = "Write scores here instead of standard output" };
        var caseSensitive = new Option<bool>("--case-sensitive") { Description = "TER: keep case (default lower-cases, as sacreBLEU)" };
        var normalized = new Option<bool>("--normalized") { Description = "TER: tercom -N normalisation (punctuation tokenised)" };
        var noPunct = new Option<bool>("--no-punct") { Description = "TER: remove punctuation" };
        var asian = new Option<bool>("--asian-support") { Description = "TER: split CJK characters (with --normalized) and drop CJK punctuation" };
        var lowercase = new Option<bool>("--lowercase") { Description = "chrF/BLEU: lower-case both sides first (default case-sensitive, as sacreBLEU)" };
        var eps = new Option<bool>("--eps-smoothing") { Description = "chrF: per-order F-scores with 1e-16 smoothing instead of effective order" };

        var cmd = new Command("score", "Score hypothesis/reference pairs with TER, chrF, chrF++ or BLEU, line by line as sacreBLEU would");
        foreach (var o in new Option[] { metric, input, output, caseSensitive, normalized, noPunct, asian, lowercase, eps }) cmd.Options.Add(o);
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var scorer = PairScorer.For(pr.GetValue(metric)!,
                new TerOptions(pr.GetValue(caseSensitive), pr.GetValue(normalized), pr.GetValue(noPunct), pr.GetValue(asian)),
                pr.GetValue(lowercase), pr.GetValue(eps));
            var inputPath = pr.GetValue(input)!;
            var outputPath = pr.GetValue(output);
            var inputName = inputPath == "-" ? "standard input" : inputPath;
            var error = pr.InvocationConfiguration.Error;
            try
            {
                using var reader = inputPath == "-" ? new StreamReader(Console.OpenStandardInput()) : OpenInput(inputPath);
                if (outputPath == null)
                {
                    // Console.Out flushes on every write; a buffered writer over stdout keeps big runs fast.
                    var toConsole = ReferenceEquals(pr.InvocationConfiguration.Output, Console.Out);
                    var target = toConsole ? new StreamWriter(Console.OpenStandardOutput(), bufferSize: 1 << 16) : pr.InvocationConfiguration.Output;
                    try
                    {
                        scorer.Run(reader, target, inputName, ct);
                    }
                    finally
                    {
                        await target.FlushAsync(ct);
                        if (toConsole) await target.DisposeAsync();
                    }
                }
                else
                {
                    // Nothing half-written: scores go to a temporary file that replaces the target only on success.
                    var temp = outputPath + ".partial";
                    await using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false), bufferSize: 1 << 16))
                        scorer.Run(reader, writer, inputName, ct);
                    File.Move(temp, outputPath, overwrite: true);
                }
                return 0;
            }
            catch (InputException e)
            {
                if (outputPath != null) File.Delete(outputPath + ".partial");
                return CliExit.Refuse(e.Message, error);
            }
        });
        return cmd;
    }

    internal static StreamReader OpenInput(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        return new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
    }
}

/// <summary>Bad input, reported as one message naming the file, line and field.</summary>
internal sealed class InputException(string message) : Exception(message);

/// <summary>Scores a stream of pairs with one metric, keeping only the corpus statistics in memory.</summary>
internal abstract class PairScorer
{
    public static PairScorer For(string metric, TerOptions terOptions, bool lowercase, bool epsSmoothing) => metric switch
    {
        "ter" => new TerScorer(new TranslationEditRate(terOptions)),
        "chrf" => ChrFScorer(new ChrF(lowercase: lowercase, epsSmoothing: epsSmoothing)),
        "chrf++" => ChrFScorer(new ChrF(wordOrder: 2, lowercase: lowercase, epsSmoothing: epsSmoothing)),
        "bleu" => new StatisticsScorer("BLEU", new Bleu(effectiveOrder: true, lowercase: lowercase), new Bleu(lowercase: lowercase)),
        _ => throw new ArgumentException($"unknown metric {metric}"),
    };

    /// <summary>Scores every line of <paramref name="reader"/>; no allocation per line once buffers have grown.</summary>
    static StatisticsScorer ChrFScorer(ChrF chrf) => new(chrf.Name, chrf, chrf);

    public void Run(TextReader reader, TextWriter writer, string inputName, CancellationToken ct)
    {
        var lines = new LineReader(reader);
        var lineNumber = 0;
        while (lines.TryReadLine(out var line))
        {
            lineNumber++;
            if ((lineNumber & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
            var tab = line.IndexOf('\t');
            if (tab < 0 || line[(tab + 1)..].IndexOf('\t') >= 0)
                throw new InputException($"{inputName} line {lineNumber}: expected hypothesis<TAB>reference (exactly one tab), found {line.Count('\t')} tabs");
            try
            {
                ScorePair(line[..tab], line[(tab + 1)..], writer);
            }
            catch (ArgumentException e)
            {
                throw new InputException($"{inputName} line {lineNumber}: {e.Message}");
            }
            writer.Write('\n');
        }
        writer.Write(CorpusLine());
        writer.Write('\n');
    }

    protected abstract void ScorePair(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, TextWriter writer);
    protected abstract string CorpusLine();

    /// <summary>Shortest round-trip digits, as Python's repr (1e-05 style exponents; integers without ".0").</summary>
    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');

    readonly char[] _number = new char[32];

    protected void Write(TextWriter writer, double v)
    {
        v.TryFormat(_number, out var n, "R", CultureInfo.InvariantCulture);
        var digits = _number.AsSpan(0, n);
        var e = digits.IndexOf('E');
        if (e >= 0) digits[e] = 'e';
        writer.Write(digits);
    }

    protected void Write(TextWriter writer, long v)
    {
        v.TryFormat(_number, out var n, default, CultureInfo.InvariantCulture);
        writer.Write(_number.AsSpan(0, n));
    }

    sealed class TerScorer(TranslationEditRate ter) : PairScorer
    {
        readonly TerCorpus _corpus = new();

        protected override void ScorePair(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, TextWriter writer)
        {
            var s = ter.Statistics(hypothesis, reference);
            _corpus.Add(s);
            Write(writer, s.Score);
            writer.Write('\t');
            Write(writer, s.Edits);
            writer.Write('\t');
            Write(writer, s.RefLength);
        }

        protected override string CorpusLine() =>
            $"#corpus\tTER\t{Format(_corpus.Score)}\tedits={_corpus.Edits}\tref_len={_corpus.RefLength}\t{ter.Signature}";
    }

    /// <summary>
    /// chrF/BLEU: each line scores one pair's statistics with <paramref name="sentence"/>; the corpus line scores
    /// their sum with <paramref name="corpus"/> (for BLEU, sentence scores use effective order and the corpus does not).
    /// </summary>
    sealed class StatisticsScorer(string name, StatisticsMetric sentence, StatisticsMetric corpus) : PairScorer
    {
        readonly long[] _corpus = new long[sentence.StatisticsLength];
        readonly long[] _sentence = new long[sentence.StatisticsLength];

        protected override void ScorePair(ReadOnlySpan<char> hypothesis, ReadOnlySpan<char> reference, TextWriter writer)
        {
            Array.Clear(_sentence);
            sentence.AddStatistics(hypothesis, reference, _sentence);
            for (var i = 0; i < _sentence.Length; i++) _corpus[i] += _sentence[i];
            Write(writer, sentence.Score(_sentence));
        }

        protected override string CorpusLine() => $"#corpus\t{name}\t{Format(corpus.Score(_corpus))}\t{corpus.Signature}";
    }
}
