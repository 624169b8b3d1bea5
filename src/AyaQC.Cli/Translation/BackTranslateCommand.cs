using System.CommandLine;
using System.Globalization;
using AyaQC.Core.Metrics;
using AyaQC.Translation;
using AyaQC.Translation.BackTranslation;
using AyaQC.Translation.Decoding;
using AyaQC.Translation.Runtime;
using Spectre.Console;

namespace AyaQC.Cli.Translation;

/// <summary>`ayaqc backtranslate`: translate every row's translation back into its source language with NLLB and
/// flag rows whose back-translation scores below the chrF++ threshold against the source.</summary>
static class BackTranslateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "NLLB model folder (Optimum/Xenova ONNX layout plus sentencepiece.bpe.model)", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "Dataset rows, JSONL: id, source_lang, target_lang, source, translation", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "Results, JSONL; rerunning with the same file skips rows already in it", Required = true };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per batch (one flush per batch)", DefaultValueFactory = _ => 32 };
        var beams = new Option<int?>("--beams") { Description = "Beam size (default: the model's generation_config.json, else greedy)" };
        var threshold = new Option<double>("--threshold") { Description = "chrF++ (0-100) below which a row is a mismatch", DefaultValueFactory = _ => 35.0 };
        var sourceLang = new Option<string>("--source-lang") { Description = "source_lang for rows without one", DefaultValueFactory = _ => "eng_Latn" };
        var targetLang = new Option<string>("--target-lang") { Description = "target_lang for rows without one", DefaultValueFactory = _ => "swh_Latn" };
        var device = new DeviceOptions();
        var cmd = new Command("backtranslate", "Back-translate each row's translation with NLLB and flag mismatches by chrF++ against the source");
        foreach (var o in new Option[] { model, input, output, batchSize, beams, threshold, sourceLang, targetLang }) cmd.Options.Add(o);
        device.AddTo(cmd);
        cmd.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            try
            {
                var rows = DatasetRowReader.ReadJsonl(pr.GetValue(input)!.FullName, pr.GetValue(sourceLang)!, pr.GetValue(targetLang)!);
                using var translator = NllbTranslator.Load(pr.GetValue(model)!.FullName, device.Settings(pr));
                foreach (var lang in rows.SelectMany(r => new[] { r.SourceLanguage, r.TargetLanguage }).Distinct())
                    translator.Tokenizer.LanguageId(lang); // unknown codes fail before any work
                if (translator.Device.FallbackReason != null) Console.Error.WriteLine($"note: {translator.Device.FallbackReason}");
                var chrf = ChrF.PlusPlus;
                var check = new BackTranslationCheck(translator, chrf.SentenceScore, $"{chrf.Name}[{chrf.Signature}]",
                    pr.GetValue(threshold), new DecodingOptions { NumBeams = pr.GetValue(beams) });
                var job = new BackTranslationJob(check, pr.GetValue(batchSize));
                var summary = RunWithProgress(job, rows, pr.GetValue(output)!.FullName, translator.Device, ct);
                Report(summary);
                return Task.FromResult(0);
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or ModelFolderException or ModelLoadException
                                          or DeviceUnavailableException or ArgumentException)
            {
                return Task.FromResult(CliExit.Refuse(e.Message));
            }
        });
        return cmd;
    }

    static BackTranslationSummary RunWithProgress(BackTranslationJob job, IReadOnlyList<DatasetRow> rows, string outputPath,
        DeviceOutcome device, CancellationToken ct)
    {
        BackTranslationSummary? summary = null;
        var started = DateTime.UtcNow;
        var firstDone = -1;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("back-translating", maxValue: Math.Max(1, rows.Count));
                summary = job.Run(rows, outputPath, device.Provider, device.FallbackReason, (done, total) =>
                {
                    if (firstDone < 0) firstDone = done;
                    var seconds = (DateTime.UtcNow - started).TotalSeconds;
                    var rate = seconds > 0 ? (done - firstDone) / seconds : 0;
                    task.Value = done;
                    task.Description = $"back-translating {done}/{total} rows, {rate.ToString("0.0", CultureInfo.InvariantCulture)} rows/s";
                }, ct);
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    static void Report(BackTranslationSummary s)
    {
        Console.WriteLine($"rows: {s.Total} (already done: {s.AlreadyDone}, written now: {s.Written}), mismatches among new rows: {s.Mismatches}");
        Console.WriteLine($"device: {s.Device}{(s.DeviceNote != null ? $" ({s.DeviceNote})" : "")}; {s.Seconds:0.0} s, " +
                          $"{(s.Seconds > 0 ? s.Written / s.Seconds : 0):0.0} rows/s");
        Console.WriteLine($"signature: {s.Signature}");
    }
}
