using System.Text;
using System.Text.Json;

namespace AyaQC.Core.Qualification;

/// <summary>A problem found in a gold set: the 1-based line (0 for the set as a whole) and the field it concerns.</summary>
public sealed record SetProblem(int Line, string Field, string Message, bool IsError = true)
{
    public override string ToString() =>
        $"{(Line > 0 ? $"line {Line}" : "set")}: {Field}: {Message}{(IsError ? "" : " (warning)")}";
}

/// <summary>The items read from a gold set and every problem found; callers store nothing unless <see cref="IsValid"/>.</summary>
public sealed record SetReadResult(IReadOnlyList<GoldItem> Items, IReadOnlyList<SetProblem> Problems)
{
    public bool IsValid => !Problems.Any(p => p.IsError);
}

/// <summary>
/// Reads a gold set in JSONL (one item per line; see qualification-sets/README.md) and checks it:
/// per line (fields, codes, text limits, strict UTF-8) and as a set (duplicates, balance, error-type coverage).
/// </summary>
public static class QualificationSetReader
{
    public const int MaxTextBytes = 100 * 1024;

    /// <summary>Below this share of good (or bad) items a set is reported as unbalanced.</summary>
    public const double MinClassShare = 0.35;

    /// <summary>Fewer bad items of one error type than this is reported (a warning: small sets may lack some types).</summary>
    public const int MinItemsPerErrorType = 5;

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static SetReadResult Read(Stream jsonl)
    {
        using var buffer = new MemoryStream();
        jsonl.CopyTo(buffer);
        return Read(buffer.ToArray());
    }

    public static SetReadResult Read(ReadOnlySpan<byte> jsonl)
    {
        var items = new List<GoldItem>();
        var problems = new List<SetProblem>();
        var lineOf = new Dictionary<GoldItem, int>(ReferenceEqualityComparer.Instance);
        var lineNo = 0;
        while (!jsonl.IsEmpty)
        {
            lineNo++;
            var end = jsonl.IndexOf((byte)'\n');
            var line = end < 0 ? jsonl : jsonl[..end];
            jsonl = end < 0 ? [] : jsonl[(end + 1)..];
            if (line.EndsWith("\r"u8)) line = line[..^1];
            if (lineNo == 1 && line.StartsWith("\uFEFF"u8)) line = line[3..];
            if (line.Trim((byte)' ').IsEmpty) continue;

            string text;
            try { text = StrictUtf8.GetString(line); }
            catch (DecoderFallbackException e)
            {
                problems.Add(new SetProblem(lineNo, "(line)", $"invalid UTF-8 at byte {e.Index}"));
                continue;
            }
            var item = ParseLine(text, lineNo, problems);
            if (item == null) continue;
            items.Add(item);
            lineOf[item] = lineNo;
        }
        problems.AddRange(Validate(items, i => lineOf[i]));
        return new SetReadResult(items, problems);
    }

    public static SetReadResult Read(string jsonl) => Read(Encoding.UTF8.GetBytes(jsonl));

    static GoldItem? ParseLine(string text, int lineNo, List<SetProblem> problems)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException e)
        {
            problems.Add(new SetProblem(lineNo, "(line)", $"not valid JSON: {e.Message}"));
            return null;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new SetProblem(lineNo, "(line)", "expected a JSON object"));
                return null;
            }
            var before = problems.Count;
            string? Str(string field, bool required)
            {
                if (!root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
                {
                    if (required) problems.Add(new SetProblem(lineNo, field, "missing"));
                    return null;
                }
                if (v.ValueKind != JsonValueKind.String)
                {
                    problems.Add(new SetProblem(lineNo, field, $"expected a string, found {v.ValueKind}"));
                    return null;
                }
                return v.GetString();
            }

            var id = Str("id", true);
            var sourceLang = Str("source_lang", true);
            var targetLang = Str("target_lang", true);
            var source = Str("source", true);
            var translation = Str("translation", true);
            var labelCode = Str("label", true);
            var errorType = Str("error_type", false);
            var explanation = Str("explanation", false);

            if (id is { Length: 0 }) problems.Add(new SetProblem(lineNo, "id", "empty"));
            foreach (var (field, code) in new[] { ("source_lang", sourceLang), ("target_lang", targetLang) })
                if (code != null && !LanguageCodes.IsKnown(code))
                    problems.Add(new SetProblem(lineNo, field, $"unknown language code '{code}' (expected an NLLB code such as eng_Latn, swh_Latn)"));
            CheckText(lineNo, "source", source, problems);
            CheckText(lineNo, "translation", translation, problems);

            Verdict label = default;
            if (labelCode != null && !Verdicts.TryParse(labelCode, out label))
                problems.Add(new SetProblem(lineNo, "label", $"'{labelCode}' is not 'good' or 'bad'"));
            else if (labelCode != null && label == Verdict.Bad)
            {
                if (errorType == null) problems.Add(new SetProblem(lineNo, "error_type", "required on a bad item"));
                else if (!ErrorTypes.IsKnown(errorType))
                    problems.Add(new SetProblem(lineNo, "error_type", $"unknown '{errorType}' (one of: {string.Join(", ", ErrorTypes.All)})"));
                if (string.IsNullOrWhiteSpace(explanation)) problems.Add(new SetProblem(lineNo, "explanation", "required on a bad item"));
            }
            else if (labelCode != null && errorType != null)
                problems.Add(new SetProblem(lineNo, "error_type", "only bad items carry an error type"));

            if (problems.Count > before) return null;
            return new GoldItem(id!, sourceLang!, targetLang!, source!, translation!, label, errorType, explanation);
        }
    }

    static void CheckText(int lineNo, string field, string? value, List<SetProblem> problems)
    {
        if (value == null) return;
        if (string.IsNullOrWhiteSpace(value)) problems.Add(new SetProblem(lineNo, field, "empty"));
        else if (Encoding.UTF8.GetByteCount(value) > MaxTextBytes)
            problems.Add(new SetProblem(lineNo, field, $"longer than {MaxTextBytes / 1024} KB"));
    }

    /// <summary>Set-level checks: duplicate ids and texts, good/bad balance, error-type coverage.</summary>
    public static IReadOnlyList<SetProblem> Validate(IReadOnlyList<GoldItem> items, Func<GoldItem, int>? lineOf = null)
    {
        lineOf ??= _ => 0;
        var problems = new List<SetProblem>();
        var ids = new Dictionary<string, GoldItem>(StringComparer.Ordinal);
        var pairs = new Dictionary<(string, string), GoldItem>();
        foreach (var item in items)
        {
            if (!ids.TryAdd(item.Id, item))
                problems.Add(new SetProblem(lineOf(item), "id", $"duplicate id '{item.Id}' (first on line {lineOf(ids[item.Id])})"));
            var key = (Normalise(item.Source), Normalise(item.Translation));
            if (!pairs.TryAdd(key, item))
                problems.Add(new SetProblem(lineOf(item), "translation", $"same source and translation as '{pairs[key].Id}'"));
        }
        if (items.Count == 0)
        {
            problems.Add(new SetProblem(0, "items", "the set is empty"));
            return problems;
        }
        var goodShare = items.Count(i => i.Label == Verdict.Good) / (double)items.Count;
        if (goodShare < MinClassShare || goodShare > 1 - MinClassShare)
            problems.Add(new SetProblem(0, "label", $"unbalanced: {goodShare:P0} good (expected between {MinClassShare:P0} and {1 - MinClassShare:P0})"));
        foreach (var type in ErrorTypes.All)
        {
            var n = items.Count(i => i.ErrorType == type);
            if (n < MinItemsPerErrorType)
                problems.Add(new SetProblem(0, "error_type", $"only {n} bad items of type '{type}' (at least {MinItemsPerErrorType} recommended)", IsError: false));
        }
        return problems;
    }

    static string Normalise(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
