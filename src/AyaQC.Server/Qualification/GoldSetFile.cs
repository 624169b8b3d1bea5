using AyaQC.Contracts;
using AyaQC.Core.Qualification;

namespace AyaQC.Server.Qualification;

/// <summary>
/// A JSONL gold set read from raw bytes by AyaQC.Core's reader (strict UTF-8, fields, language codes, text
/// limits, duplicates, balance). Any error rejects the whole file; warnings travel with the accepted set.
/// </summary>
public static class GoldSetFile
{
    public sealed record Parsed(IReadOnlyList<GoldItem> Items, IReadOnlyList<FieldProblem> Errors, IReadOnlyList<FieldProblem> Warnings)
    {
        public bool Ok => Errors.Count == 0;
    }

    public static Parsed Parse(ReadOnlySpan<byte> bytes)
    {
        var read = QualificationSetReader.Read(bytes);
        static FieldProblem Map(SetProblem p) => new(p.Line > 0 ? p.Line : null, p.Field, p.Message);
        return new(read.Items,
            read.Problems.Where(p => p.IsError).Select(Map).ToList(),
            read.Problems.Where(p => !p.IsError).Select(Map).ToList());
    }
}
