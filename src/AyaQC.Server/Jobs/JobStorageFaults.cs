using AyaQC.Storage;

namespace AyaQC.Server.Jobs;

/// <summary>
/// Store faults that pass, seen from anything that also touches Hangfire's storage. On the embedded default Hangfire
/// keeps its jobs in our SQLite file through sqlite-net, whose "database is locked" (SQLITE_BUSY / SQLITE_LOCKED) is its
/// own exception type, wrapped by Hangfire's client: the same passing fault as our store's, so the same answer
/// (503 + Retry-After) and the same retry.
/// </summary>
public static class JobStorageFaults
{
    public static bool IsUnavailable(Exception e) => StorageFaults.IsUnavailable(e) || IsSqliteLocked(e);

    static bool IsSqliteLocked(Exception e) => e switch
    {
        SQLite.SQLiteException s => s.Result is SQLite.SQLite3.Result.Busy or SQLite.SQLite3.Result.Locked,
        AggregateException a => a.InnerExceptions.Any(IsSqliteLocked),
        _ => e.InnerException is { } inner && IsSqliteLocked(inner),
    };
}
