using System.Data.Common;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage;
using AyaQC.Storage.Assessment;

namespace AyaQC.Server.Tests.Storage;

/// <summary>
/// The project store's writes on SQLite and (when installed) PostgreSQL: live changes go through the group commit
/// (many writes in one transaction, each still all or nothing and failing alone), imports through a bulk insert.
/// </summary>
public class ProjectStoreTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_765_000_000_000);

    static async Task<(SqlDatabase Db, ProjectStore Store, string ProjectId)> ProjectAsync(string provider)
    {
        var db = (await TestDatabases.CreateAsync(provider)).CreateDatabase();
        await new SqlQualificationStore(db).InitializeAsync();
        var store = new ProjectStore(db);
        var project = await store.CreateAsync(new NewProject("p", null, null, "import", "{}", "00", 1, null, ["a1"]), Now);
        return (db, store, project.Id);
    }

    static StoredVote Vote(long seq, string assessor, string item, string? errorType = null, bool imported = false) =>
        new(seq, assessor, item, errorType is null ? "good" : "bad", errorType, seq * 0.25, Now.AddSeconds(seq), imported);

    [Theory, MemberData(nameof(Providers))]
    public async Task Concurrent_appends_are_all_stored_and_a_failing_one_fails_alone(string provider)
    {
        var (db, store, id) = await ProjectAsync(provider);
        await using var _ = db;
        await store.AppendAsync(ProjectAppend.Of(id, Vote(1, "a0", "i0")));

        // 300 writes at once (they share commits), one of which reuses seq 1 and must fail without failing the rest.
        var writes = Enumerable.Range(2, 300).Select(seq => store.AppendAsync(new ProjectAppend(id, [Vote(seq, $"a{seq % 7}", $"i{seq}", seq % 3 == 0 ? "accuracy" : null)],
            seq % 50 == 0 ? [new StoredEvent(seq / 50, $"a{seq % 7}", "suspend", seq, "control", 1, 8, 0.4, 0.5, "control accuracy", Now)] : [], []))).ToList();
        var duplicate = store.AppendAsync(new ProjectAppend(id, [Vote(1, "a9", "other")],
            [new StoredEvent(99, "a9", "suspend", 1, "control", 0, 8, 0.1, 0.5, "must not be stored: its vote failed", Now)], []));
        await Task.WhenAll(writes);
        await Assert.ThrowsAnyAsync<DbException>(() => duplicate);

        var votes = await store.VotesAsync(id);
        Assert.Equal(Enumerable.Range(1, 301).Select(s => (long)s), votes.Select(v => v.Seq));
        var v3 = votes.Single(v => v.Seq == 3);
        Assert.Equal(("a3", "i3", "bad", "accuracy", 0.75, Now.AddSeconds(3), false), (v3.AssessorId, v3.ItemId, v3.Label, v3.ErrorType, v3.Seconds, v3.AnsweredAt, v3.Imported));
        Assert.Null(votes.Single(v => v.Seq == 4).ErrorType);
        var events = await store.EventsAsync(id);
        Assert.Equal([1, 2, 3, 4, 5, 6], events.Select(e => e.EventNo));
        Assert.Equal((8, 0.4, 0.5), (events[0].Count, events[0].WilsonUpper, events[0].Threshold));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_import_is_stored_in_full_or_not_at_all(string provider)
    {
        var (db, store, id) = await ProjectAsync(provider);
        await using var _ = db;
        var votes = Enumerable.Range(1, 5_000).Select(seq => Vote(seq, $"w{seq % 40}", $"task-{seq / 40}", seq % 9 == 0 ? "fluency" : null, imported: true)).ToList();
        await store.ImportVotesAsync(id, votes);
        Assert.Equal(votes, await store.VotesAsync(id));

        var more = Enumerable.Range(5_001, 1_000).Select(seq => Vote(seq, "w", $"t{seq}", imported: true)).Append(Vote(17, "late", "x", imported: true)).ToList();
        await Assert.ThrowsAnyAsync<DbException>(() => store.ImportVotesAsync(id, more));
        Assert.Equal(5_000, (await store.VotesAsync(id)).Count);
    }
}
