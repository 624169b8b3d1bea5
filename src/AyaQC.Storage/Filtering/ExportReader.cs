using System.Buffers;
using System.Data.Common;
using System.Text;

namespace AyaQC.Storage.Filtering;

/// <summary>The export query's columns, in its SELECT order (see <see cref="DecisionStore.OpenExportAsync"/>).</summary>
public enum ExportColumn
{
    Seq, RowId, SourceLang, TargetLang, Source, Translation, PostEdit, MetadataJson, Decision, OverrideDecision, PGood, Reasons,
    Signature, Votes, ChrF, Hter,
}

/// <summary>
/// Forward-only reader of export rows that hands out texts as UTF-8 bytes, so the export writes them into its output
/// without building a string per column. A text's bytes stay valid until the next <see cref="ReadAsync"/>.
/// On SQLite the bytes come straight from the database engine; on other databases from each text, encoded once.
/// </summary>
public abstract class ExportReader : IAsyncDisposable
{
    public abstract ValueTask<bool> ReadAsync(CancellationToken ct);
    public abstract bool IsNull(ExportColumn column);
    /// <summary>The column's text as UTF-8 (empty when null).</summary>
    public abstract ReadOnlySpan<byte> Utf8(ExportColumn column);
    /// <summary>The column's text as UTF-8; false when it is null.</summary>
    public virtual bool TryUtf8(ExportColumn column, out ReadOnlySpan<byte> text)
    {
        text = IsNull(column) ? [] : Utf8(column);
        return !IsNull(column);
    }
    protected abstract long Int64(ExportColumn column);
    protected abstract double Double(ExportColumn column);
    public abstract ValueTask DisposeAsync();

    public long Seq => Int64(ExportColumn.Seq);
    public bool Overridden => !IsNull(ExportColumn.OverrideDecision);
    public int? Votes => IsNull(ExportColumn.Votes) ? null : (int)Int64(ExportColumn.Votes);
    public double? Number(ExportColumn column) => IsNull(column) ? null : Double(column);
    public string? Text(ExportColumn column) => IsNull(column) ? null : Encoding.UTF8.GetString(Utf8(column));

    /// <summary>The current row with its texts as strings (CSV and callers that want records).</summary>
    public ExportRow Row() => new(Seq, Text(ExportColumn.RowId)!, Text(ExportColumn.SourceLang)!, Text(ExportColumn.TargetLang)!,
        Text(ExportColumn.Source)!, Text(ExportColumn.Translation)!, Text(ExportColumn.PostEdit), Text(ExportColumn.MetadataJson),
        Text(ExportColumn.Decision), Overridden, Number(ExportColumn.PGood), Text(ExportColumn.Reasons), Text(ExportColumn.Signature),
        Votes, Number(ExportColumn.ChrF), Number(ExportColumn.Hter));

    /// <summary>Over any ADO.NET reader of the export query (PostgreSQL; tests): each text is encoded into a buffer
    /// reused from row to row.</summary>
    public static ExportReader Over(DbDataReader reader, IAsyncDisposable? owner = null) => new DataReaderExport(reader, owner);

    sealed class DataReaderExport(DbDataReader reader, IAsyncDisposable? owner) : ExportReader
    {
        readonly byte[][] _text = new byte[Enum.GetValues<ExportColumn>().Length][];
        readonly int[] _length = new int[Enum.GetValues<ExportColumn>().Length];

        public override async ValueTask<bool> ReadAsync(CancellationToken ct)
        {
            if (!await reader.ReadAsync(ct)) return false;
            Array.Fill(_length, -1);
            return true;
        }

        public override bool IsNull(ExportColumn column) => reader.IsDBNull((int)column);

        public override ReadOnlySpan<byte> Utf8(ExportColumn column)
        {
            var i = (int)column;
            if (_length[i] >= 0) return _text[i].AsSpan(0, _length[i]);
            if (reader.IsDBNull(i)) { _length[i] = 0; return []; }
            var text = reader.GetString(i);
            var buffer = _text[i];
            var max = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (buffer is null || buffer.Length < max)
            {
                if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
                _text[i] = buffer = ArrayPool<byte>.Shared.Rent(max);
            }
            _length[i] = Encoding.UTF8.GetBytes(text, buffer);
            return buffer.AsSpan(0, _length[i]);
        }

        protected override long Int64(ExportColumn column) => column == ExportColumn.Votes ? reader.GetInt32((int)column) : reader.GetInt64((int)column);
        protected override double Double(ExportColumn column) => reader.GetDouble((int)column);

        public override async ValueTask DisposeAsync()
        {
            foreach (var buffer in _text) if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            await reader.DisposeAsync();
            if (owner is not null) await owner.DisposeAsync();
        }
    }
}
