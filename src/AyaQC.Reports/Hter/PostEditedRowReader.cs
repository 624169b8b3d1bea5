using System.Text.Json;

namespace AyaQC.Reports.Hter;

/// <summary>Reads post-edited rows from JSONL, one object per line; errors (<see cref="InvalidDataException"/>) name the line and field.</summary>
public static class PostEditedRowReader
{
    /// <summary>The rows, each with "file line N" for error messages.</summary>
    public static async IAsyncEnumerable<(PostEditedRow Row, string Where)> ReadAsync(TextReader reader, string name,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var lineNumber = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var where = $"{name} line {lineNumber}";
            yield return (Parse(line, where), where);
        }
    }

    public static PostEditedRow Parse(string line, string where)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { throw new InvalidDataException($"{where}: not valid JSON ({e.Message})"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: expected a JSON object");
            var translation = RequiredString(root, "translation", where);
            var postEdit = RequiredString(root, "post_edit", where);
            var source = OptionalString(root, "source_lang", where);
            var target = OptionalString(root, "target_lang", where);
            var pair = OptionalString(root, "language_pair", where)
                ?? (source != null || target != null ? $"{source ?? "?"}-{target ?? "?"}" : null)
                ?? OptionalString(root, "language", where);
            return new PostEditedRow(translation, postEdit, OptionalString(root, "id", where), pair, OptionalString(root, "post_editor", where));
        }
    }

    static string RequiredString(JsonElement root, string field, string where)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new InvalidDataException($"{where}: missing field \"{field}\"");
        if (value.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{where}: field \"{field}\" must be a string, found {value.ValueKind.ToString().ToLowerInvariant()}");
        return value.GetString()!;
    }

    /// <summary>A string field, or a number rendered as text (ids are often numeric); null when absent.</summary>
    static string? OptionalString(JsonElement root, string field, string where)
    {
        if (!root.TryGetProperty(field, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new InvalidDataException($"{where}: field \"{field}\" must be a string, found {value.ValueKind.ToString().ToLowerInvariant()}"),
        };
    }
}
