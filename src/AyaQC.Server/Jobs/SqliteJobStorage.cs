using Hangfire.Storage;
using Hangfire.Storage.SQLite;

namespace AyaQC.Server.Jobs;

/// <summary>
/// Hangfire's SQLite storage, whose workers also wake as soon as a job is queued in this process. The SQLite storage
/// only polls (every <c>Jobs:PollIntervalSeconds</c>): a job started through this server's API, a retry coming due
/// and a resumed job would otherwise wait up to a poll interval before a worker looks. Jobs queued by another process
/// on the same file (an <c>ayaqc worker</c>'s server) are still found by the poll. (PostgreSQL's storage wakes its own
/// workers the same way.)
/// </summary>
public sealed class SqliteJobStorage(string databasePath, SQLiteStorageOptions options) : SQLiteStorage(databasePath, options)
{
    readonly SQLiteStorageOptions _options = options;
    CancellationTokenSource _queued = new();

    public override IStorageConnection GetConnection() => new Connection(this, CreateAndOpenConnection(), _options, QueueProviders);

    /// <summary>Wakes every worker waiting for a job (they look at the queues again at once).</summary>
    void Wake() => Interlocked.Exchange(ref _queued, new CancellationTokenSource()).Cancel();

    sealed class Connection(SqliteJobStorage storage, HangfireDbContext db, SQLiteStorageOptions options, PersistentJobQueueProviderCollection queues)
        : HangfireSQLiteConnection(db, options, queues)
    {
        public override IWriteOnlyTransaction CreateWriteTransaction() => new Transaction(storage, DbContext, queues);

        public override IFetchedJob FetchNextJob(string[] queueNames, CancellationToken ct)
        {
            while (true)
            {
                // A job queued after this point cancels `queued`; one queued before it is already committed, so the
                // fetch below finds it.
                var queued = Volatile.Read(ref storage._queued).Token;
                using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, queued);
                try { return base.FetchNextJob(queueNames, either.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { } // woken: look again now
            }
        }
    }

    sealed class Transaction(SqliteJobStorage storage, HangfireDbContext db, PersistentJobQueueProviderCollection queues)
        : SQLiteWriteOnlyTransaction(db, queues)
    {
        bool _queues;

        public override void AddToQueue(string queue, string jobId)
        {
            base.AddToQueue(queue, jobId);
            _queues = true;
        }

        public override void Commit()
        {
            base.Commit();
            if (_queues) storage.Wake(); // after the commit: a woken worker finds the job
        }
    }
}
