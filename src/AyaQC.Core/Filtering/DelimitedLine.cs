using System.Text;

namespace AyaQC.Core.Filtering;

/// <summary>Splits one line of TSV (no quoting) or CSV (RFC 4180 quotes, no line breaks inside a field).</summary>
public static class DelimitedLine
{
    public static string[] Split(string line, char separator, string source, int lineNo)
    {
        if (separator == '\t' || !line.Contains('"')) return line.Split(separator);
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new FormatException($"{source} line {lineNo}, field {fields.Count + 1}: unclosed quote");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != separator)
                    throw new FormatException($"{source} line {lineNo}, field {fields.Count + 1}: text after a closing quote");
            }
            else
            {
                while (i < line.Length && line[i] != separator) field.Append(line[i++]);
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return fields.ToArray();
            i++; // separator
        }
    }
}
