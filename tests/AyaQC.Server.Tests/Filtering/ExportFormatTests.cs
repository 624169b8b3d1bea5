using System.Buffers;
using System.Data;
using System.Text;
using System.Text.Json;
using AyaQC.Contracts;
using AyaQC.Server.Apis;
using AyaQC.Storage.Filtering;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AyaQC.Server.Tests.Filtering;

/// <summary>The export's per-row JSON writer against the published record serialized by System.Text.Json.</summary>
public class ExportFormatTests
{
    static string Serialized(ExportRow row) => JsonSerializer.Serialize(ExportApi.Record(row), FilteringJsonContext.Default.ExportRecord);

    /// <summary>The row through the export's reader over an ADO.NET reader (a DataTable's, typed as the query's
    /// columns) and its JSON writer.</summary>
    static (string Json, ExportRow Read) Written(ExportRow row)
    {
        var table = new DataTable();
        foreach (var (name, type) in new (ExportColumn, Type)[]
                 {
                     (ExportColumn.Seq, typeof(long)), (ExportColumn.RowId, typeof(string)), (ExportColumn.SourceLang, typeof(string)),
                     (ExportColumn.TargetLang, typeof(string)), (ExportColumn.Source, typeof(string)), (ExportColumn.Translation, typeof(string)),
                     (ExportColumn.PostEdit, typeof(string)), (ExportColumn.MetadataJson, typeof(string)), (ExportColumn.Decision, typeof(string)),
                     (ExportColumn.OverrideDecision, typeof(string)), (ExportColumn.PGood, typeof(double)), (ExportColumn.Reasons, typeof(string)),
                     (ExportColumn.Signature, typeof(string)), (ExportColumn.Votes, typeof(int)), (ExportColumn.ChrF, typeof(double)),
                     (ExportColumn.Hter, typeof(double)),
                 })
            table.Columns.Add(name.ToString(), type);
        object N(object? value) => value ?? DBNull.Value;
        table.Rows.Add(row.Seq, row.RowId, row.SourceLang, row.TargetLang, row.Source, row.Translation, N(row.PostEdit), N(row.MetadataJson),
            N(row.Decision), row.Overridden ? row.Decision ?? "keep" : DBNull.Value, N(row.PGood), N(row.Reasons), N(row.Signature), N(row.Votes),
            N(row.ChrF), N(row.Hter));
        var buffer = new ArrayBufferWriter<byte>();
        var reader = ExportReader.Over(table.CreateDataReader());
        Assert.True(reader.ReadAsync(default).AsTask().Result);
        var read = reader.Row();
        Assert.Equal(row, read); // (a DataTable keeps 0.0 for -0.0: equal here, written apart; SQLite does the same)
        new ExportJsonWriter().Write(buffer, reader);
        return (Encoding.UTF8.GetString(buffer.WrittenSpan), read);
    }

    /// <summary>Metadata as a dataset import stores it: user_id / annotation_type as text, a number or an object, or absent.</summary>
    static string? Metadata(string? userId, string? annotation, int shape) => shape switch
    {
        0 => null,
        1 => JsonSerializer.Serialize(new Dictionary<string, object?> { ["user_id"] = userId, ["annotation_type"] = annotation, ["note"] = "x, \"y\"" }),
        2 => $$"""{"user_id":{{shape * 7}},"annotation_type":{"nested":[1,2]},"other":"u"}""",
        _ => JsonSerializer.Serialize(new Dictionary<string, object?> { ["vendor"] = userId }),
    };

    [Property(MaxTest = 300)]
    public Property The_row_writer_writes_the_serialized_record_byte_for_byte(NonNull<string> id, NonNull<string> source, NonNull<string> translation,
        string? postEdit, string? userId, string? annotation, byte shape, bool overridden, bool scored, NormalFloat x, int votes, string? reasons, PositiveInt seq)
    {
        double? p = scored ? x.Get % 1000 : null;
        var decision = (shape % 4) switch { 0 => null, 1 => "keep", 2 => "drop", _ => "review" };
        var row = new ExportRow(seq.Get, id.Get, "eng_Latn", shape % 2 == 0 ? "swh_Latn" : "xyz", source.Get, translation.Get, postEdit,
            Metadata(userId, annotation, shape % 4), decision, overridden, p, reasons, p is null ? null : $"agree|model:lightgbm|<b>&'{reasons}",
            scored ? votes : null, p * 100, p is null ? null : Math.Abs(p.Value) / 3);
        var (written, read) = Written(row);
        var userIdKept = shape % 4 != 1 || userId == JsonSerializer.Deserialize(written, FilteringJsonContext.Default.ExportRecord)!.UserId;
        return (written == Serialized(read) && userIdKept).Label($"written {written}\nserialized {Serialized(read)}");
    }

    [Fact]
    public void Special_characters_and_metadata_come_out_as_the_record_serializes_them()
    {
        var row = new ExportRow(12, "r\"12", "eng_Latn", "swh_Latn", "Line one\nline <two> & \"three\" \u00e9\u4e2d\ud83d\ude00", "Tafsiri\t\\",
            "Imesahihishwa", """{"user_id":"u\u00e9\"7","annotation_type":"re-annotations","tags":["a",{"b":1}]}""", "keep", true, 0.1 + 0.2,
            "bt_chrfpp=38.2 (good rows ~71.0) -0.42", "agree|gbt:lightgbm|keep:0.95", 4, 71.25, 0.0);
        var (written, read) = Written(row);
        Assert.Equal(Serialized(read), written);
        var back = JsonSerializer.Deserialize(written, FilteringJsonContext.Default.ExportRecord)!;
        Assert.Equal(("r\"12", "Imesahihishwa", "u\u00e9\"7", "re-annotations", 0.1 + 0.2, "12"), (back.Id, back.Targets, back.UserId, back.AnnotationType, back.PGood, back.Cursor));
    }
}
