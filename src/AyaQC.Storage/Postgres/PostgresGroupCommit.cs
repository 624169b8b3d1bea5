using System.Threading.Channels;
using Npgsql;

namespace AyaQC.Storage.Postgres;

/// <summary>
/// Group commit: writers take every write queued while the previous commit was in flight and run them in one
/// transaction (one round trip, one WAL flush), so each caller still waits for a durable commit — synchronous_commit
/// stays on — while the flush is shared. Used by qualification answers and assessment votes, events and post-edits.
/// When a statement fails in the server (say a unique key), the batch is run again one write per transaction on the
/// same connection, so only the failing write fails; a lost connection fails the whole batch.
/// </summary>
public sealed class PostgresGroupCommit : IAsyncDisposable
{
    const int MaxBatch = 1024;
    const int Writers = 2; // one batch commits while the next one is being sent
    readonly NpgsqlDataSource _source;
    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    readonly Task[] _loops;

    public PostgresGroupCommit(NpgsqlDataSource source)
    {
        _source = source;
        _loops = Enumerable.Range(0, Writers).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>Runs the statements (all or none) in the next shared commit; answers each statement's row count once committed.</summary>
    public Task<int[]> CommitAsync(IReadOnlyList<SqlStatement> statements, CancellationToken ct)
    {
        var pending = new Pending(statements);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(PostgresGroupCommit));
        return pending.Result.Task.WaitAsync(ct);
    }

    async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var p)) batch.Add(p);
            if (batch.Count == 0) continue;
            NpgsqlConnection? conn = null;
            try
            {
                conn = await _source.OpenConnectionAsync();
                var counts = await CommitAsync(conn, batch);
                for (var i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(counts[i]);
            }
            catch (PostgresException) when (batch.Count > 1 && conn is not null)
            {
                foreach (var p in batch)
                {
                    try { p.Result.TrySetResult((await CommitAsync(conn, [p]))[0]); }
                    catch (Exception e) { p.Result.TrySetException(e); }
                }
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Result.TrySetException(e);
            }
            finally
            {
                if (conn is not null) await conn.DisposeAsync();
            }
        }
    }

    /// <summary>One transaction, one round trip for all the writes' statements; each write's row counts.</summary>
    static async Task<int[][]> CommitAsync(NpgsqlConnection conn, IReadOnlyList<Pending> writes)
    {
        await using var tx = await conn.BeginTransactionAsync();
        await using var sql = new NpgsqlBatch(conn, tx);
        foreach (var w in writes)
            foreach (var s in w.Statements)
            {
                var cmd = new NpgsqlBatchCommand(s.Sql);
                s.BindTo(cmd.Parameters, () => new NpgsqlParameter());
                sql.BatchCommands.Add(cmd);
            }
        await sql.ExecuteNonQueryAsync();
        await tx.CommitAsync();
        var counts = new int[writes.Count][];
        var at = 0;
        for (var i = 0; i < writes.Count; i++)
        {
            counts[i] = new int[writes[i].Statements.Count];
            for (var j = 0; j < counts[i].Length; j++) counts[i][j] = sql.BatchCommands[at++].RecordsAffected;
        }
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
        await _source.DisposeAsync();
    }

    sealed record Pending(IReadOnlyList<SqlStatement> Statements)
    {
        public TaskCompletionSource<int[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
