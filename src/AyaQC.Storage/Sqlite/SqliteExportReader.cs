using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using AyaQC.Storage.Filtering;

namespace AyaQC.Storage.Sqlite;

/// <summary>
/// The export on SQLite's own statement API, as a merge of two forward scans in seq order: the dataset's rows and their
/// decisions. (A join searched the decisions' index once per row, a tenth of the export's CPU.) Texts are the engine's
/// UTF-8 bytes, read with one call for the text and one for its length, and no string, boxing or task per row.
/// The connection is the reader's and closes with it.
/// </summary>
sealed partial class SqliteExportReader : ExportReader
{
    // Column order = ExportColumn: the rows statement holds the columns before Decision, the decisions statement the
    // others from its column 0, then its seq.
    const string Rows = """
        SELECT seq, row_id, source_lang, target_lang, source, translation, post_edit, metadata_json
        FROM dataset_rows WHERE dataset_id = @datasetId AND seq > @after ORDER BY seq
        """;
    const string Decisions = """
        SELECT COALESCE(override_decision, decision), override_decision, p_good, reasons, signature, votes, chrf, hter, seq
        FROM row_decisions WHERE dataset_id = @datasetId AND seq > @after
        """;
    const int FirstDecisionColumn = (int)ExportColumn.Decision, DecisionSeq = ExportColumn.Hter - ExportColumn.Decision + 1;

    readonly SqliteConnection _connection;
    readonly sqlite3_stmt _rowStatement, _decisionStatement;
    readonly nint _rows, _decisions;
    readonly bool _filtered;
    readonly long _limit;
    long _read, _decisionAt;
    bool _decisionsDone, _hasDecision;

    SqliteExportReader(SqliteConnection connection, sqlite3_stmt rows, sqlite3_stmt decisions, bool filtered, long limit)
    {
        _connection = connection;
        (_rowStatement, _decisionStatement) = (rows, decisions);
        (_rows, _decisions) = (rows.DangerousGetHandle(), decisions.DangerousGetHandle()); // alive as long as the fields
        (_filtered, _limit) = (filtered, limit);
    }

    /// <summary>Rows after <paramref name="after"/> in seq order; <paramref name="decision"/> null = every row, else only
    /// rows with that effective decision; at most <paramref name="limit"/>.</summary>
    public static ExportReader Open(SqliteConnection connection, string datasetId, long after, string? decision, long? limit)
    {
        sqlite3_stmt? rows = null, decisions = null;
        try
        {
            rows = Prepare(connection, Rows, datasetId, after, null);
            decisions = Prepare(connection, Decisions + (decision is null ? "" : " AND COALESCE(override_decision, decision) = @decision") + " ORDER BY seq",
                datasetId, after, decision);
            return new SqliteExportReader(connection, rows, decisions, decision is not null, limit ?? long.MaxValue);
        }
        catch
        {
            rows?.Dispose();
            decisions?.Dispose();
            throw;
        }
    }

    static sqlite3_stmt Prepare(SqliteConnection connection, string sql, string datasetId, long after, string? decision)
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        try
        {
            Check(db, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "@datasetId"), datasetId));
            Check(db, raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "@after"), after));
            if (decision is not null) Check(db, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "@decision"), decision));
            return statement;
        }
        catch
        {
            statement.Dispose();
            throw;
        }
    }

    static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
    }

    public override ValueTask<bool> ReadAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        while (_read < _limit && Step(_rows))
        {
            var seq = Native.Int64(_rows, 0);
            while (!_decisionsDone && _decisionAt < seq)
            {
                if (Step(_decisions)) _decisionAt = Native.Int64(_decisions, DecisionSeq);
                else _decisionsDone = true;
            }
            _hasDecision = !_decisionsDone && _decisionAt == seq;
            if (_filtered && !_hasDecision)
            {
                if (_decisionsDone) break;
                continue; // a row with another decision (or none)
            }
            _read++;
            return ValueTask.FromResult(true);
        }
        return ValueTask.FromResult(false);
    }

    bool Step(nint statement)
    {
        var rc = Native.Step(statement);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle).utf8_to_string(), rc);
    }

    /// <summary>The statement and column holding <paramref name="column"/>; no statement when the row has no decision.</summary>
    (nint Statement, int Index) Where(ExportColumn column)
    {
        var i = (int)column;
        return i < FirstDecisionColumn ? (_rows, i) : (_hasDecision ? _decisions : 0, i - FirstDecisionColumn);
    }

    public override bool IsNull(ExportColumn column)
    {
        var (statement, i) = Where(column);
        return statement == 0 || Native.Type(statement, i) == raw.SQLITE_NULL;
    }

    public override unsafe bool TryUtf8(ExportColumn column, out ReadOnlySpan<byte> text)
    {
        var (statement, i) = Where(column);
        var start = statement == 0 ? null : Native.Text(statement, i); // null for NULL, "" for an empty text
        text = start is null ? [] : new ReadOnlySpan<byte>(start, Native.Bytes(statement, i));
        return start is not null;
    }

    public override ReadOnlySpan<byte> Utf8(ExportColumn column) => TryUtf8(column, out var text) ? text : [];

    protected override long Int64(ExportColumn column)
    {
        var (statement, i) = Where(column);
        return Native.Int64(statement, i);
    }

    protected override double Double(ExportColumn column)
    {
        var (statement, i) = Where(column);
        return Native.Double(statement, i);
    }

    public override async ValueTask DisposeAsync()
    {
        _rowStatement.Dispose();
        _decisionStatement.Dispose();
        await _connection.DisposeAsync();
    }

    /// <summary>
    /// The few calls made per row and column, bound directly: through SQLitePCL each also took and released a safe
    /// handle and went through an interface (a tenth of the export's CPU). The column getters only read the current
    /// row (no I/O, no callback), so they skip the GC transition.
    /// </summary>
    static unsafe partial class Native
    {
        const string Library = "e_sqlite3"; // the library SQLitePCL's bundle loads

        [LibraryImport(Library, EntryPoint = "sqlite3_step")]
        internal static partial int Step(nint statement);

        [LibraryImport(Library, EntryPoint = "sqlite3_column_type"), SuppressGCTransition]
        internal static partial int Type(nint statement, int column);

        [LibraryImport(Library, EntryPoint = "sqlite3_column_text"), SuppressGCTransition]
        internal static partial byte* Text(nint statement, int column);

        [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes"), SuppressGCTransition]
        internal static partial int Bytes(nint statement, int column);

        [LibraryImport(Library, EntryPoint = "sqlite3_column_int64"), SuppressGCTransition]
        internal static partial long Int64(nint statement, int column);

        [LibraryImport(Library, EntryPoint = "sqlite3_column_double"), SuppressGCTransition]
        internal static partial double Double(nint statement, int column);
    }
}
