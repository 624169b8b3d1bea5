using AyaQC.Contracts;
using AyaQC.Core.Metrics;

namespace AyaQC.Reports.Hter;

/// <summary>
/// The HTER report as the API sends it and back: the server maps what <see cref="HterReportBuilder"/> built, the CLI
/// maps the response back and renders it with <see cref="HterReportHtml"/> — one report code for files and the service.
/// </summary>
public static class HterReportContract
{
    public static HterReportResponse ToResponse(HterReport r) => new(r.Signature, r.Source, ToResponse(r.Overall),
        r.ByLanguagePair.Select(ToResponse).ToList(), r.ByPostEditor.Select(ToResponse).ToList());

    public static HterReport FromResponse(HterReportResponse r) => new(r.Signature, r.Source, FromResponse(r.Overall),
        r.ByLanguagePair.Select(FromResponse).ToList(), r.ByPostEditor.Select(FromResponse).ToList());

    static HterGroupResponse ToResponse(HterGroup g) => new(g.Name, g.Rows, g.MeanHter, g.MedianHter, g.CorpusHter, g.UnchangedShare,
        g.Insertions, g.Deletions, g.Substitutions, g.Shifts, g.RefWords,
        g.Histogram.Select(b => new HterBinResponse(b.From, b.To, b.Rows)).ToList(),
        g.HighestRows.Select(x => new HterRowResponse(x.Id, x.LanguagePair, x.PostEditor, x.Translation, x.PostEdit, x.Hter,
            x.Insertions, x.Deletions, x.Substitutions, x.Shifts, x.RefWords,
            x.Alignment.Select(s => new HterStepResponse(OperationName(s.Operation), s.Hypothesis, s.Reference)).ToList())).ToList());

    static HterGroup FromResponse(HterGroupResponse g) => new(g.Name, g.Rows, g.MeanHter, g.MedianHter, g.CorpusHter, g.UnchangedShare,
        g.Insertions, g.Deletions, g.Substitutions, g.Shifts, g.RefWords,
        g.Histogram.Select(b => new HterBin(b.From, b.To, b.Rows)).ToList(),
        g.HighestRows.Select(x => new HterRow(x.Id, x.LanguagePair, x.PostEditor, x.Translation, x.PostEdit, x.Hter,
            x.Insertions, x.Deletions, x.Substitutions, x.Shifts, x.RefWords)
        {
            Alignment = x.Alignment.Select(s => new TerStep(Operation(s.Operation), s.Hypothesis, s.Reference)).ToList(),
        }).ToList());

    static string OperationName(TerOperation o) => o switch
    {
        TerOperation.Match => "match",
        TerOperation.Substitution => "substitution",
        TerOperation.Insertion => "insertion",
        _ => "deletion",
    };

    static TerOperation Operation(string name) => name switch
    {
        "match" => TerOperation.Match,
        "substitution" => TerOperation.Substitution,
        "insertion" => TerOperation.Insertion,
        "deletion" => TerOperation.Deletion,
        _ => throw new InvalidDataException($"alignment operation '{name}' is not one of match, substitution, insertion, deletion"),
    };
}
