using Microsoft.Data.Sqlite;
using SQLitePCL;
using AyaQC.Storage.Filtering;

namespace AyaQC.Storage.Sqlite;

/// <summary>
/// The export query run on SQLite's own statement API (the connection's handle): each step's texts are read as the
/// engine's UTF-8 bytes, with no string, boxing or task per row. The connection is the reader's and closes with it.
/// </summary>
sealed class SqliteExportReader : ExportReader
{
    readonly SqliteConnection _connection;
    readonly sqlite3_stmt _statement;

    SqliteExportReader(SqliteConnection connection, sqlite3_stmt statement)
    {
        _connection = connection;
        _statement = statement;
    }

    /// <summary>Prepares <paramref name="sql"/> and binds each named parameter (text or integer).</summary>
    public static ExportReader Open(SqliteConnection connection, string sql, IReadOnlyDictionary<string, object> parameters)
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        try
        {
            foreach (var (name, value) in parameters)
            {
                var index = raw.sqlite3_bind_parameter_index(statement, "@" + name);
                if (index == 0) throw new ArgumentException($"the export query has no parameter @{name}");
                Check(db, value switch
                {
                    string text => raw.sqlite3_bind_text(statement, index, text),
                    long or int => raw.sqlite3_bind_int64(statement, index, Convert.ToInt64(value)),
                    _ => throw new ArgumentException($"parameter @{name}: {value.GetType().Name} is not bound here"),
                });
            }
            return new SqliteExportReader(connection, statement);
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
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW) return ValueTask.FromResult(true);
        if (rc == raw.SQLITE_DONE) return ValueTask.FromResult(false);
        throw new SqliteException(raw.sqlite3_errmsg(_connection.Handle).utf8_to_string(), rc);
    }

    public override bool IsNull(ExportColumn column) => raw.sqlite3_column_type(_statement, (int)column) == raw.SQLITE_NULL;
    public override ReadOnlySpan<byte> Utf8(ExportColumn column) => raw.sqlite3_column_blob(_statement, (int)column);
    protected override long Int64(ExportColumn column) => raw.sqlite3_column_int64(_statement, (int)column);
    protected override double Double(ExportColumn column) => raw.sqlite3_column_double(_statement, (int)column);

    public override async ValueTask DisposeAsync()
    {
        _statement.Dispose();
        await _connection.DisposeAsync();
    }
}
