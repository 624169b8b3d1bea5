using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AyaQC.Storage;

/// <summary>Which errors mean "the database cannot be reached right now" (retry later, answer 503), as opposed to a bug
/// or a conflict.</summary>
public static class StorageFaults
{
    public static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        SocketException or TimeoutException => true,
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };
}
