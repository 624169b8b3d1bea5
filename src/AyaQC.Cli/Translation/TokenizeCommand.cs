using System.CommandLine;
using AyaQC.Translation.Tokenization;

namespace AyaQC.Cli.Translation;

/// <summary>Prints SentencePiece pieces or ids per input line, in spm_encode's format (so the two can be diffed);
/// with --nllb-lang, NLLB's ids and source form (<c>[lang] tokens &lt;/s&gt;</c>).</summary>
static class TokenizeCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "SentencePiece BPE model (e.g. NLLB's sentencepiece.bpe.model)", Required = true };
        var ids = new Option<bool>("--ids") { Description = "Print ids instead of pieces" };
        var lang = new Option<string?>("--nllb-lang") { Description = "Print the NLLB source form for this language code, e.g. swh_Latn (NLLB ids with --ids)" };
        var input = new Option<FileInfo?>("--input") { Description = "Text file, one sentence per line (default: standard input)" };
        var cmd = new Command("tokenize", "Tokenize lines with a SentencePiece BPE model, as spm_encode prints them");
        cmd.Options.Add(model);
        cmd.Options.Add(ids);
        cmd.Options.Add(lang);
        cmd.Options.Add(input);
        cmd.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var modelFile = pr.GetValue(model)!;
            var language = pr.GetValue(lang);
            var printIds = pr.GetValue(ids);
            NllbTokenizer tokenizer;
            try { tokenizer = NllbTokenizer.Load(modelFile.FullName); }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
            {
                return Task.FromResult(CliExit.Refuse(e.Message));
            }
            if (language != null)
            {
                try { tokenizer.LanguageId(language); }
                catch (ArgumentException e) { return Task.FromResult(CliExit.Refuse(e.Message)); }
            }
            var inputFile = pr.GetValue(input);
            using var reader = inputFile != null ? new StreamReader(inputFile.FullName) : new StreamReader(Console.OpenStandardInput());
            using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                ct.ThrowIfCancellationRequested();
                stdout.WriteLine(Format(tokenizer, line, language, printIds));
            }
            return Task.FromResult(0);
        });
        return cmd;
    }

    static string Format(NllbTokenizer tokenizer, string line, string? language, bool ids)
    {
        var pieces = tokenizer.Bpe.Encode(line);
        if (language == null)
            return ids ? string.Join(" ", pieces.Select(p => p.Id)) : string.Join(" ", pieces.Select(p => p.Piece));
        if (ids) return string.Join(" ", tokenizer.EncodeSource(line, language, int.MaxValue, out _));
        return string.Join(" ", pieces.Select(p => p.Piece).Prepend(language).Append("</s>"));
    }
}
