using System.Threading.Channels;
using Npgsql;

namespace AyaQC.Storage.Postgres;

/// <summary>
/// Group commit for answers: writers take every answer queued while the previous commit was in flight and write
/// them in one transaction (one round trip, one WAL flush), so each caller still waits for a durable commit
/// — synchronous_commit stays on — while the flush is shared. Each answer is its own conditional statement, so a
/// stale one changes nothing and does not fail the others.
/// </summary>
public sealed class PostgresAnswerWriter : IAsyncDisposable
{
    const int MaxBatch = 1024;
    const int Writers = 2; // one batch commits while the next one is being sent
    readonly NpgsqlDataSource _source;
    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    readonly Task[] _loops;

    public PostgresAnswerWriter(NpgsqlDataSource source)
    {
        _source = source;
        _loops = Enumerable.Range(0, Writers).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    public Task<bool> CommitAsync(AnswerWrite write, CancellationToken ct)
    {
        var pending = new Pending(write);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(PostgresAnswerWriter));
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
            try
            {
                await using var conn = await _source.OpenConnectionAsync();
                await using var tx = await conn.BeginTransactionAsync();
                await using var sql = new NpgsqlBatch(conn, tx);
                foreach (var p in batch)
                {
                    var cmd = new NpgsqlBatchCommand(AnswerStatements.MoveThenInsert);
                    AnswerStatements.Bind(cmd.Parameters, () => new NpgsqlParameter(), p.Write);
                    sql.BatchCommands.Add(cmd);
                }
                await sql.ExecuteNonQueryAsync();
                await tx.CommitAsync();
                for (var i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(sql.BatchCommands[i].RecordsAffected == 1);
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Result.TrySetException(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
        await _source.DisposeAsync();
    }

    sealed record Pending(AnswerWrite Write)
    {
        public TaskCompletionSource<bool> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
