using System.Data.Common;

namespace AyaQC.Storage;

/// <summary>How the store reaches one kind of database: reads, serialized writes, and the few SQL differences.</summary>
public abstract class SqlDatabase : IAsyncDisposable
{
    public abstract StorageProvider Provider { get; }

    public abstract Task<DbConnection> OpenReadAsync(CancellationToken ct);

    /// <summary>Runs <paramref name="work"/> in a transaction and returns once it is committed.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// Writes an accepted answer (see <see cref="AnswerStatements"/>): false when the participant moved or the round
    /// closed meanwhile. Returns once the answer is durably committed; answers arriving together share one commit.
    /// </summary>
    public abstract Task<bool> CommitAnswerAsync(AnswerWrite write, CancellationToken ct);

    /// <summary>What the bench and /health report about durability (e.g. synchronous=FULL).</summary>
    public abstract string DurabilitySettings { get; }

    /// <summary>Blocks other nodes from upgrading the schema at the same time.</summary>
    public abstract Task LockForUpgradeAsync(DbConnection conn, DbTransaction tx);

    public abstract Task<DbConnection> OpenForUpgradeAsync(CancellationToken ct);

    public abstract bool IsUniqueViolation(DbException e);

    public abstract ValueTask DisposeAsync();
}
