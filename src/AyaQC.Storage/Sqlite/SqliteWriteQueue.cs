using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace AyaQC.Storage.Sqlite;

/// <summary>
/// The single SQLite writer. Writes queue up while a transaction commits; the next transaction takes all of
/// them at once (each inside its own savepoint, so one failing write does not undo the others). Callers
/// are answered only after their batch committed.
/// </summary>
public sealed class SqliteWriteQueue : IAsyncDisposable
{
    const int MaxBatch = 512;
    readonly SqliteConnection _conn;
    readonly Channel<IWrite> _queue = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _loop;

    public SqliteWriteQueue(SqliteConnection writer)
    {
        _conn = writer;
        _loop = Task.Run(RunAsync);
    }

    public Task<T> EnqueueAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        var write = new Write<T>(work);
        if (!_queue.Writer.TryWrite(write)) throw new ObjectDisposedException(nameof(SqliteWriteQueue));
        return write.Result.WaitAsync(ct);
    }

    async Task RunAsync()
    {
        var batch = new List<IWrite>(MaxBatch);
        var done = new List<IWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            done.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var w)) batch.Add(w);
            try
            {
                await using var tx = (SqliteTransaction)await _conn.BeginTransactionAsync();
                var (save, release, undo) = (Savepoint(tx, "SAVEPOINT w"), Savepoint(tx, "RELEASE w"), Savepoint(tx, "ROLLBACK TO w"));
                foreach (var write in batch)
                {
                    save.ExecuteNonQuery();
                    try
                    {
                        await write.RunAsync(_conn, tx);
                        release.ExecuteNonQuery();
                        done.Add(write);
                    }
                    catch (Exception e)
                    {
                        undo.ExecuteNonQuery();
                        release.ExecuteNonQuery();
                        write.Fail(e);
                    }
                }
                await tx.CommitAsync();
                foreach (var write in done) write.Succeed();
            }
            catch (Exception e)
            {
                foreach (var write in batch) write.Fail(e); // no-op for those already failed
            }
        }
    }

    readonly Dictionary<string, SqliteCommand> _savepoints = new();

    /// <summary>Savepoint commands are reused, so their statements are prepared once per connection.</summary>
    SqliteCommand Savepoint(SqliteTransaction tx, string sql)
    {
        if (!_savepoints.TryGetValue(sql, out var cmd)) _savepoints[sql] = cmd = new SqliteCommand(sql, _conn);
        cmd.Transaction = tx;
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        await _conn.DisposeAsync();
    }

    interface IWrite
    {
        Task RunAsync(DbConnection conn, DbTransaction tx);
        void Succeed();
        void Fail(Exception e);
    }

    sealed class Write<T>(Func<DbConnection, DbTransaction, Task<T>> work) : IWrite
    {
        readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T? _value;
        public Task<T> Result => _result.Task;
        public async Task RunAsync(DbConnection conn, DbTransaction tx) => _value = await work(conn, tx);
        public void Succeed() => _result.TrySetResult(_value!);
        public void Fail(Exception e) => _result.TrySetException(e);
    }
}
