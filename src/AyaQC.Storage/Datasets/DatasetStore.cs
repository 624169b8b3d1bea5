using System.Data.Common;
using System.Text.Json;
using AyaQC.Core.Datasets;
using Dapper;

namespace AyaQC.Storage.Datasets;

/// <summary>Datasets and their rows: a streamed all-or-nothing import, listing, and row browsing with results.</summary>
public sealed class DatasetStore(SqlDatabase db)
{
    public const int MaxProblemsListed = 100;
    const int InsertBatch = 500;
    const string BatchKind = "dataset";

    public SqlDatabase Database => db;

    static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Imports the records in one transaction, inserting as they stream in, so memory stays bounded by one
    /// batch. Any problem rejects the whole file (nothing is kept). A batch id seen before returns that dataset.</summary>
    public async Task<DatasetImportResult> ImportAsync(DatasetImport import, IAsyncEnumerable<ParsedRecord> records, CancellationToken ct = default)
    {
        if (import.BatchId is not null && await FindBatchAsync(import.BatchId, ct) is { } earlierId)
            return new(await GetAsync(earlierId, ct), true, [], 0);
        var id = SqlQualificationStore.NewId("ds");
        try
        {
            await db.WriteAsync((c, tx) => WriteRowsAsync(c, tx, id, import, records, ct), ct);
        }
        catch (DatasetRejectedException rejected)
        {
            return new(null, false, rejected.Problems, rejected.Count);
        }
        catch (DbException e) when (import.BatchId is not null && db.IsUniqueViolation(e))
        {
            // Another request imported the same batch meanwhile.
            if (await FindBatchAsync(import.BatchId, ct) is not { } raced) throw;
            return new(await GetAsync(raced, ct), true, [], 0);
        }
        return new(await GetAsync(id, ct), false, [], 0);
    }

    async Task<int> WriteRowsAsync(DbConnection c, DbTransaction tx, string id, DatasetImport import,
        IAsyncEnumerable<ParsedRecord> records, CancellationToken ct)
    {
        var at = NowMs;
        await c.ExecuteAsync(
            """
            INSERT INTO datasets (id, name, format, row_count, labelled_count, signal_columns, metadata_columns, created_at)
            VALUES (@id, @Name, @format, 0, 0, '[]', '[]', @at)
            """, new { id, import.Name, format = import.Format.ToString().ToLowerInvariant(), at }, tx);
        if (import.BatchId is not null)
            await c.ExecuteAsync("INSERT INTO import_batches (batch_id, kind, result_id, created_at) VALUES (@BatchId, @kind, @id, @at)",
                new { import.BatchId, kind = BatchKind, id, at }, tx);

        var problems = new List<RowProblem>();
        long problemCount = 0, seq = 0, labelled = 0;
        var signals = new SortedSet<string>(StringComparer.Ordinal);
        var metadata = new SortedSet<string>(StringComparer.Ordinal);
        var batch = new List<(long Seq, DatasetRecord Row)>(InsertBatch);
        using var insert = new RowInsert(c, tx, id);

        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            var inserted = await insert.RunAsync(batch, ct);
            if (inserted < batch.Count)
                foreach (var p in await insert.DuplicatesAsync(batch, ct))
                {
                    problemCount++;
                    if (problems.Count < MaxProblemsListed) problems.Add(p);
                }
            batch.Clear();
        }

        await foreach (var record in records.WithCancellation(ct))
        {
            if (record.Record is not { } row)
            {
                foreach (var p in record.Problems)
                {
                    problemCount++;
                    if (problems.Count < MaxProblemsListed) problems.Add(p);
                }
                continue;
            }
            seq++;
            if (problemCount > 0) continue; // the file is rejected already: only look for further problems
            if (row.Label is not null) labelled++;
            if (row.Signals is not null) signals.UnionWith(row.Signals.Keys);
            if (row.MetadataJson is not null) AddKeys(metadata, row.MetadataJson);
            batch.Add((seq, row));
            if (batch.Count == InsertBatch) await FlushAsync();
        }
        if (problemCount == 0) await FlushAsync();
        if (problemCount == 0 && seq == 0) { problems.Add(new RowProblem(1, "(file)", "holds no rows")); problemCount++; }
        if (problemCount > 0) throw new DatasetRejectedException(problems, problemCount);

        await c.ExecuteAsync(
            "UPDATE datasets SET row_count = @seq, labelled_count = @labelled, signal_columns = @s, metadata_columns = @m WHERE id = @id",
            new { id, seq, labelled, s = JsonSerializer.Serialize(signals), m = JsonSerializer.Serialize(metadata) }, tx);
        return 0;
    }

    static void AddKeys(SortedSet<string> into, string json)
    {
        if (into.Count >= 200) return; // the column list is a summary; rows keep all their metadata anyway
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            into.Add(reader.GetString()!);
            reader.Skip();
        }
    }

    async Task<string?> FindBatchAsync(string batchId, CancellationToken ct)
    {
        await using var c = await db.OpenReadAsync(ct);
        return await c.QuerySingleOrDefaultAsync<string>(
            "SELECT result_id FROM import_batches WHERE kind = @kind AND batch_id = @batchId", new { kind = BatchKind, batchId });
    }

    const string DatasetColumns = """
        SELECT id AS Id, name AS Name, format AS Format, row_count AS RowCount, labelled_count AS LabelledCount,
               signal_columns AS SignalColumns, metadata_columns AS MetadataColumns, created_at AS CreatedAt
        FROM datasets
        """;

    public async Task<IReadOnlyList<StoredDataset>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<DatasetRow>(DatasetColumns + " ORDER BY created_at, id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<StoredDataset?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<DatasetRow>(DatasetColumns + " WHERE id = @id", new { id }))?.ToRecord();
    }

    /// <summary>One page of rows in file order, after <see cref="RowQuery.After"/>; the next cursor is null on the last page.</summary>
    public async Task<RowPage> RowsAsync(string datasetId, RowQuery q, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        var jobId = q.JobId ?? await c.QuerySingleOrDefaultAsync<string>(
            "SELECT id FROM backtranslation_jobs WHERE dataset_id = @datasetId ORDER BY created_at DESC, id DESC LIMIT 1", new { datasetId });
        var where = new List<string> { "r.dataset_id = @datasetId", "r.seq > @After" };
        if (q.HasLabel is { } hasLabel) where.Add(hasLabel ? "r.label IS NOT NULL" : "r.label IS NULL");
        if (q.Failed is { } failed) where.Add(failed ? "res.status = 'failed'" : "res.status = 'done'");
        if (q.Flagged is { } flagged) where.Add(flagged ? "res.flags <> ','" : "res.flags = ','");
        if (q.Flag is not null) where.Add("res.flags LIKE @flagLike");
        var rows = (await c.QueryAsync<RowWithResult>(
            $"""
            SELECT r.seq AS Seq, r.row_id AS Id, r.line AS Line, r.source_lang AS SourceLang, r.target_lang AS TargetLang,
                   r.source AS Source, r.translation AS Translation, r.post_edit AS PostEdit, r.label AS Label,
                   r.signals_json AS SignalsJson, r.metadata_json AS MetadataJson,
                   res.status AS Status, res.back_translation AS BackTranslation, res.chrf AS ChrF, res.length_ratio AS LengthRatio,
                   res.source_cut AS SourceTruncated, res.flags AS Flags, res.flag_reasons AS FlagReasons, res.failure AS Failure
            FROM dataset_rows r LEFT JOIN backtranslation_results res ON res.job_id = @jobId AND res.seq = r.seq
            WHERE {string.Join(" AND ", where)}
            ORDER BY r.seq LIMIT @limit
            """,
            new { datasetId, q.After, jobId, flagLike = $"%,{q.Flag},%", limit = q.Limit + 1 })).ToList();
        var more = rows.Count > q.Limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new RowPage(rows.Select(r => r.ToRecord(jobId)).ToList(), more ? rows[^1].Seq : null, jobId);
    }

    sealed class DatasetRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Format { get; set; } = "";
        public long RowCount { get; set; }
        public long LabelledCount { get; set; }
        public string SignalColumns { get; set; } = "[]";
        public string MetadataColumns { get; set; } = "[]";
        public long CreatedAt { get; set; }

        public StoredDataset ToRecord() => new(Id, Name, Format, RowCount, LabelledCount,
            JsonSerializer.Deserialize<List<string>>(SignalColumns) ?? [], JsonSerializer.Deserialize<List<string>>(MetadataColumns) ?? [],
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    sealed class RowWithResult
    {
        public long Seq { get; set; }
        public string Id { get; set; } = "";
        public long Line { get; set; }
        public string SourceLang { get; set; } = "";
        public string TargetLang { get; set; } = "";
        public string Source { get; set; } = "";
        public string Translation { get; set; } = "";
        public string? PostEdit { get; set; }
        public string? Label { get; set; }
        public string? SignalsJson { get; set; }
        public string? MetadataJson { get; set; }
        public string? Status { get; set; }
        public string? BackTranslation { get; set; }
        public double? ChrF { get; set; }
        public double? LengthRatio { get; set; }
        public long? SourceTruncated { get; set; }
        public string? Flags { get; set; }
        public string? FlagReasons { get; set; }
        public string? Failure { get; set; }

        public StoredRow ToRecord(string? jobId) => new(Seq, Id, (int)Line, SourceLang, TargetLang, Source, Translation, PostEdit, Label,
            SignalsJson, MetadataJson,
            Status is null ? null : new RowResult(jobId!, Status, BackTranslation, ChrF, LengthRatio, SourceTruncated == 1,
                (Flags ?? ",").Split(',', StringSplitOptions.RemoveEmptyEntries), FlagReasons, Failure));
    }
}

/// <summary>The import found problems; thrown inside the write so the transaction rolls back.</summary>
sealed class DatasetRejectedException(IReadOnlyList<RowProblem> problems, long count)
    : Exception($"the dataset was rejected: {count} problem(s)")
{
    public IReadOnlyList<RowProblem> Problems { get; } = problems;
    public long Count { get; } = count;
}
