using System.Text.Json;

namespace AyaQC.Translation.BackTranslation;

/// <summary>A dataset row as the back-translation check needs it (DESIGN.md's JSONL rows).</summary>
public sealed record DatasetRow(string Id, string SourceLanguage, string TargetLanguage, string Source, string Translation, int Line);

/// <summary>Reads dataset rows from JSONL; any bad line stops the read with an error naming the line and field.</summary>
public static class DatasetRowReader
{
    public static List<DatasetRow> ReadJsonl(string path, string defaultSourceLanguage, string defaultTargetLanguage)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"input file not found: {path}", path);
        var rows = new List<DatasetRow>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(line);
                root = doc.RootElement.Clone();
            }
            catch (JsonException e) { throw new InvalidDataException($"{path} line {lineNumber}: not valid JSON ({e.Message})"); }
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path} line {lineNumber}: expected a JSON object");

            string Text(string field, string? fallback = null)
            {
                if (root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String) return v.GetString()!;
                if (!root.TryGetProperty(field, out _) && fallback != null) return fallback;
                throw new InvalidDataException($"{path} line {lineNumber}: field '{field}' is missing or not a string");
            }

            var id = root.TryGetProperty("id", out var idValue) && idValue.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? (idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : idValue.GetRawText())
                : throw new InvalidDataException($"{path} line {lineNumber}: field 'id' is missing or not a string/number");
            if (firstLine.TryGetValue(id, out var first))
                throw new InvalidDataException($"{path} line {lineNumber}: id '{id}' repeats line {first}");
            firstLine[id] = lineNumber;
            rows.Add(new DatasetRow(id, Text("source_lang", defaultSourceLanguage), Text("target_lang", defaultTargetLanguage),
                Text("source"), Text("translation"), lineNumber));
        }
        return rows;
    }
}
