using System.Data.Common;

namespace AyaQC.Storage;

/// <summary>How the store reaches one kind of database: reads, serialized writes, and the few SQL differences.</summary>
public abstract class SqlDatabase : IAsyncDisposable
{
    public abstract StorageProvider Provider { get; }

    /// <summary>Appended to a SELECT over round_participants (alias p) that is followed by a write of the same row.</summary>
    public abstract string LockParticipantRow { get; }

    public abstract Task<DbConnection> OpenReadAsync(CancellationToken ct);

    /// <summary>Runs <paramref name="work"/> in a transaction and returns once it is committed.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct);

    /// <summary>Blocks other nodes from upgrading the schema at the same time.</summary>
    public abstract Task LockForUpgradeAsync(DbConnection conn, DbTransaction tx);

    public abstract Task<DbConnection> OpenForUpgradeAsync(CancellationToken ct);

    public abstract bool IsUniqueViolation(DbException e);

    public abstract ValueTask DisposeAsync();
}
