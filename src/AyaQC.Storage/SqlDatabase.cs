using System.Data;
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

    /// <summary>
    /// Runs the statements in one transaction shared with the other writes queued meanwhile (group commit): all of
    /// them stored or none, and a write that fails does not fail the others. Returns once durably committed.
    /// </summary>
    public abstract Task CommitGroupedAsync(IReadOnlyList<SqlStatement> statements, CancellationToken ct);

    /// <summary>Inserts many rows into one table in one transaction of its own, all or none (PostgreSQL: binary COPY).</summary>
    public abstract Task BulkInsertAsync(string table, IReadOnlyList<BulkColumn> columns, IEnumerable<object?[]> rows, CancellationToken ct);

    /// <summary>What the bench and /health report about durability (e.g. synchronous=FULL).</summary>
    public abstract string DurabilitySettings { get; }

    /// <summary>Blocks other nodes from upgrading the schema at the same time.</summary>
    public abstract Task LockForUpgradeAsync(DbConnection conn, DbTransaction tx);

    public abstract Task<DbConnection> OpenForUpgradeAsync(CancellationToken ct);

    public abstract bool IsUniqueViolation(DbException e);

    public abstract ValueTask DisposeAsync();
}

/// <summary>A column of <see cref="SqlDatabase.BulkInsertAsync"/>: its name and the type its values are sent as.</summary>
public readonly record struct BulkColumn(string Name, DbType Type);
