using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using AyaQC.Core.Qualification;
using Dapper;
using static AyaQC.Storage.StoredValues;

namespace AyaQC.Storage;

// Gold sets: imported whole, never changed; items cached per set after the first read.
public sealed partial class SqlQualificationStore
{
    const string GoldSetColumns = """
        SELECT s.id AS Id, s.name AS Name, s.created_at AS CreatedAt,
               (SELECT COUNT(*) FROM gold_items i WHERE i.set_id = s.id) AS ItemCount,
               (SELECT COUNT(*) FROM gold_items i WHERE i.set_id = s.id AND i.label = 'good') AS GoodCount
        FROM gold_sets s
        """;

    public async Task<ImportOutcome<StoredGoldSet>> ImportGoldSetAsync(GoldSetImport import, CancellationToken ct = default)
    {
        var id = NewId("set");
        var replayedId = await WriteImportAsync(GoldSetKind, import.BatchId, async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM gold_sets WHERE name = @Name", new { import.Name }, tx) > 0)
                throw new StoreConflictException($"a gold set named '{import.Name}' already exists; choose another name");
            await c.ExecuteAsync("INSERT INTO gold_sets (id, name, created_at) VALUES (@id, @Name, @at)",
                new { id, import.Name, at = NowMs }, tx);
            await c.ExecuteAsync(
                """
                INSERT INTO gold_items (set_id, item_id, line, source_lang, target_lang, source, translation, label, error_type, explanation)
                VALUES (@SetId, @Id, @Line, @SourceLang, @TargetLang, @Source, @Translation, @Label, @ErrorType, @Explanation)
                """,
                import.Items.Select((item, i) => new
                {
                    SetId = id, item.Id, Line = i + 1, item.SourceLang, item.TargetLang, item.Source, item.Translation,
                    Label = item.Label.ToCode(), item.ErrorType, item.Explanation,
                }), tx);
            return id;
        }, ct);
        var set = await GetGoldSetAsync(replayedId ?? id, ct) ?? throw new InvalidOperationException("gold set vanished after import");
        return new(set, replayedId is not null);
    }

    public async Task<IReadOnlyList<StoredGoldSet>> ListGoldSetsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QueryAsync<GoldSetRow>(GoldSetColumns + " ORDER BY s.created_at, s.id")).Select(r => r.ToRecord()).ToList();
    }

    public async Task<StoredGoldSet?> GetGoldSetAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenReadAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<GoldSetRow>(GoldSetColumns + " WHERE s.id = @id", new { id }))?.ToRecord();
    }

    public async Task<IReadOnlyList<GoldItem>> GetGoldItemsAsync(string setId, CancellationToken ct = default) =>
        (await GoldItemsByIdAsync(setId, ct)).Values.ToList();

    public async Task<GoldItem?> GetRoundItemAsync(string roundId, string itemId, CancellationToken ct = default)
    {
        if (await RoundRulesAsync(roundId, ct) is not { } rules) return null;
        return (await GoldItemsByIdAsync(rules.SetId, ct)).GetValueOrDefault(itemId);
    }

    async Task<IReadOnlyDictionary<string, GoldItem>> GoldItemsByIdAsync(string setId, CancellationToken ct)
    {
        if (_goldItems.TryGetValue(setId, out var cached)) return cached;
        await using var c = await db.OpenReadAsync(ct);
        var rows = await c.QueryAsync<GoldItemRow>(
            """
            SELECT item_id AS ItemId, source_lang AS SourceLang, target_lang AS TargetLang, source AS Source,
                   translation AS Translation, label AS Label, error_type AS ErrorType, explanation AS Explanation
            FROM gold_items WHERE set_id = @setId ORDER BY line
            """, new { setId });
        var items = rows.Select(r => r.ToRecord()).ToDictionary(i => i.Id);
        if (items.Count > 0) _goldItems[setId] = items; // an unknown set is not cached: it may be imported later
        return items;
    }
}
