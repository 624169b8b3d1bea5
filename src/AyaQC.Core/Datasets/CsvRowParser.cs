using System.Text;

namespace AyaQC.Core.Datasets;

/// <summary>
/// CSV as RFC 4180 writes it (comma-separated, double quotes around fields that hold commas, quotes or line breaks,
/// <c>""</c> for a quote), fed one physical line at a time so a file streams through. The first record is the header;
/// a record spanning several lines is named by the line it starts on.
/// </summary>
public sealed class CsvRowParser(DatasetColumns columns)
{
    readonly List<string> _fields = [];
    readonly StringBuilder _field = new();
    bool _inQuotes;
    int _recordLine;
    string[]? _header;

    public IReadOnlyList<string>? Header => _header;

    /// <summary>The header had problems: the records after it cannot be read.</summary>
    public bool HeaderFailed { get; private set; }

    /// <summary>True while a quoted field is still open at the end of the last line fed.</summary>
    public bool InsideQuotedField => _inQuotes;

    /// <summary>Feeds one line (without its line break). Returns the record finished by this line, if any: the header
    /// yields a record only when it has problems.</summary>
    public ParsedRecord? Feed(int lineNumber, string line)
    {
        if (!_inQuotes)
        {
            if (line.Length == 0) return null; // blank lines between records
            _recordLine = lineNumber;
        }
        else _field.Append('\n');

        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (_inQuotes)
            {
                if (c != '"') _field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { _field.Append('"'); i++; }
                else _inQuotes = false;
            }
            else if (c == ',') { _fields.Add(_field.ToString()); _field.Clear(); }
            else if (c == '"' && _field.Length == 0) _inQuotes = true;
            else _field.Append(c);
        }
        if (_inQuotes) return null;
        _fields.Add(_field.ToString());
        _field.Clear();
        var record = _fields.ToArray();
        _fields.Clear();
        return _header is null ? ReadHeader(record) : ToRow(record);
    }

    /// <summary>Call at the end of the file: a quoted field still open is a problem.</summary>
    public ParsedRecord? Finish() => _inQuotes
        ? new ParsedRecord(null, [new RowProblem(_recordLine, "(record)", "a quoted field is never closed")])
        : _header is null ? new ParsedRecord(null, [new RowProblem(1, "(header)", "the file is empty: a header line is required")]) : null;

    ParsedRecord? ReadHeader(string[] names)
    {
        _header = names.Select(n => n.Trim()).ToArray();
        var problems = new List<RowProblem>();
        foreach (var dup in _header.GroupBy(n => n).Where(g => g.Count() > 1))
            problems.Add(new(_recordLine, dup.Key, "column appears more than once in the header"));
        if (_header.Any(n => n.Length == 0)) problems.Add(new(_recordLine, "(header)", "a column has an empty name"));
        foreach (var required in new[] { "id", "source", "translation" })
            if (!_header.Contains(required)) problems.Add(new(_recordLine, required, "column is missing from the header"));
        if (!_header.Contains("source_lang") && columns.DefaultSourceLang is null)
            problems.Add(new(_recordLine, "source_lang", "column is missing from the header (or give sourceLang for the whole file)"));
        if (!_header.Contains("target_lang") && columns.DefaultTargetLang is null)
            problems.Add(new(_recordLine, "target_lang", "column is missing from the header (or give targetLang for the whole file)"));
        HeaderFailed = problems.Count > 0;
        return HeaderFailed ? new ParsedRecord(null, problems) : null;
    }

    ParsedRecord ToRow(string[] values)
    {
        if (values.Length != _header!.Length)
            return new(null, [new RowProblem(_recordLine, "(record)", $"has {values.Length} fields, the header has {_header.Length}")]);
        var fields = new KeyValuePair<string, FieldValue>[values.Length];
        for (var i = 0; i < values.Length; i++)
            fields[i] = new(_header[i], values[i].Length == 0 && !DatasetRowRules.KnownColumns.Contains(_header[i])
                ? FieldValue.Null : new FieldValue(FieldKind.String, values[i]));
        return DatasetRowRules.Build(_recordLine, fields, columns);
    }
}
