using System.Text.Json;

namespace AyaQC.Core.Datasets;

/// <summary>One JSONL line → a dataset row: a JSON object whose fields follow <see cref="DatasetRowRules"/>.</summary>
public static class JsonlRowParser
{
    public static ParsedRecord Parse(int line, string text, DatasetColumns columns)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException e) { return Fail(line, "(line)", $"not valid JSON: {e.Message.Split(" LineNumber:")[0]}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Fail(line, "(line)", "expected a JSON object");
            var fields = new List<KeyValuePair<string, FieldValue>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(p.Name)) return Fail(line, p.Name, "appears twice in the object");
                var value = p.Value.ValueKind switch
                {
                    JsonValueKind.String => new FieldValue(FieldKind.String, p.Value.GetString()),
                    JsonValueKind.Number => new FieldValue(FieldKind.Number, p.Value.GetRawText()),
                    JsonValueKind.Null => FieldValue.Null,
                    _ => new FieldValue(FieldKind.OtherJson, p.Value.GetRawText()),
                };
                fields.Add(new(p.Name, value));
            }
            return DatasetRowRules.Build(line, fields, columns);
        }
    }

    static ParsedRecord Fail(int line, string field, string message) => new(null, [new RowProblem(line, field, message)]);
}
