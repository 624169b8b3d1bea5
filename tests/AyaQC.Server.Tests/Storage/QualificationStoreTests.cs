using System.Data.Common;
using AyaQC.Core.Qualification;
using AyaQC.Server.Tests.Support;
using AyaQC.Storage;
using AyaQC.Storage.Schema;

namespace AyaQC.Server.Tests.Storage;

/// <summary>The store's behaviour, run against SQLite and (when installed) PostgreSQL.</summary>
public class QualificationStoreTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    static async Task<(SqlQualificationStore Store, StoredRound Round, List<string> Assessors)> RoundAsync(
        string provider, int assessors = 2, int items = 10, QualificationPolicy? policy = null, DateTimeOffset? expires = null)
    {
        var store = await TestDatabases.CreateStoreAsync(provider);
        var set = (await store.ImportGoldSetAsync(new GoldSetImport("s", null, SyntheticGoldSet.Items()))).Value;
        var ids = (await store.RegisterAssessorsAsync(new AssessorBatch(null,
            Enumerable.Range(0, assessors).Select(i => new NewAssessor($"a{i}", $"A{i}", null, $"hash{i}")).ToList()))).Value.Select(a => a.Id).ToList();
        var round = await store.CreateRoundAsync(new NewRound("r1", "round", set.Id, items, policy ?? new QualificationPolicy(), Now, expires,
            ids.Select(id => new RoundAssignment(id, SyntheticGoldSet.Items().Take(items).Select(i => i.Id).ToList())).ToList()));
        return (store, round, ids);
    }

    static AnswerSubmission Answer(string assessor, string item, Verdict v = Verdict.Good) => new("r1", assessor, item, v, null);

    [Theory, MemberData(nameof(Providers))]
    public async Task Initialize_creates_the_latest_schema_and_is_repeatable(string provider)
    {
        await using var store = await TestDatabases.CreateStoreAsync(provider);
        Assert.Equal(SchemaMigrations.Latest, await store.GetSchemaVersionAsync());
        await store.InitializeAsync();
        Assert.Equal(SchemaMigrations.Latest, await store.GetSchemaVersionAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Upgrading_an_older_database_keeps_its_data(string provider)
    {
        await using var store = await TestDatabases.CreateStoreAsync(provider, initialize: false);
        await store.UpgradeToAsync(1);
        Assert.Equal(1, await store.GetSchemaVersionAsync());
        var set = await store.ImportGoldSetAsync(new GoldSetImport("kept", "b1", SyntheticGoldSet.Items(10)));
        await store.AddAdminKeyAsync("k", "keyhash");

        await store.InitializeAsync();

        Assert.Equal(SchemaMigrations.Latest, await store.GetSchemaVersionAsync());
        var sets = await store.ListGoldSetsAsync();
        Assert.Equal(set.Value.Id, Assert.Single(sets).Id);
        Assert.Equal(10, (await store.GetGoldItemsAsync(set.Value.Id)).Count);
        Assert.True(await store.AdminKeyExistsAsync("keyhash"));
        // the version-2 column works after the upgrade
        var added = await store.RegisterAssessorsAsync(new AssessorBatch(null, [new NewAssessor("x", "X", "swh_Latn", "h")]));
        Assert.Equal("swh_Latn", Assert.Single(added.Value).Languages);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_step_with_a_lower_number_that_was_not_recorded_is_applied(string provider)
    {
        // As when step 3 came from a branch that landed first: the database records 1 and 3, and step 2 still runs.
        await using var store = await TestDatabases.CreateStoreAsync(provider, initialize: false);
        await store.UpgradeToAsync(1);
        await store.RecordSchemaStepForTestAsync(3, "recorded as if applied by a branch that landed first");
        Assert.Equal(3, await store.GetSchemaVersionAsync());

        await store.UpgradeToAsync(SchemaMigrations.Latest);

        // step 2 ran: its column works
        var added = await store.RegisterAssessorsAsync(new AssessorBatch(null, [new NewAssessor("x", "X", "swh_Latn", "h")]));
        Assert.Equal("swh_Latn", Assert.Single(added.Value).Languages);
        Assert.Equal(SchemaMigrations.Latest, await store.GetSchemaVersionAsync());
    }

    [Fact]
    public void Migrations_only_add()
    {
        foreach (var step in SchemaMigrations.All)
        foreach (var sql in step.Statements.Concat(step.PostgresStatements ?? []).Where(s => !s.StartsWith("INSERT INTO OrleansQuery", StringComparison.Ordinal)))
        {
            var upper = sql.ToUpperInvariant();
            Assert.DoesNotContain("DROP ", upper);
            Assert.DoesNotContain("DELETE ", upper);
            Assert.DoesNotContain("TRUNCATE", upper);
            Assert.DoesNotContain("RENAME", upper);
        }
        // One list ordered by version; numbers are reserved per issue, so a step may land before a lower one.
        var versions = SchemaMigrations.All.Select(m => m.Version).ToList();
        Assert.Equal(versions.Order().Distinct(), versions);
        Assert.Equal(1, versions[0]);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_database_from_a_newer_version_is_refused(string provider)
    {
        var options = await TestDatabases.CreateAsync(provider);
        await using var store = (SqlQualificationStore)options.CreateStore();
        await store.InitializeAsync();
        await using (var db = OpenRaw(options))
        {
            await db.OpenAsync();
            await using var cmd = db.CreateCommand();
            cmd.CommandText = $"INSERT INTO schema_version (version, description, applied_at) VALUES ({SchemaMigrations.Latest + 1}, 'future', 0)";
            await cmd.ExecuteNonQueryAsync();
        }
        var e = await Assert.ThrowsAsync<StoreConflictException>(() => store.InitializeAsync());
        Assert.Contains("newer", e.Message);
    }

    static DbConnection OpenRaw(StorageOptions o) => o.ParsedProvider == StorageProvider.Sqlite
        ? new Microsoft.Data.Sqlite.SqliteConnection(o.ConnectionString)
        : new Npgsql.NpgsqlConnection(o.ConnectionString);

    [Theory, MemberData(nameof(Providers))]
    public async Task A_failing_gold_set_import_stores_nothing(string provider)
    {
        await using var store = await TestDatabases.CreateStoreAsync(provider);
        var items = SyntheticGoldSet.Items(6).ToList();
        items.Add(items[2]); // duplicate primary key on the 7th row
        await Assert.ThrowsAnyAsync<DbException>(() => store.ImportGoldSetAsync(new GoldSetImport("broken", null, items)));
        Assert.Empty(await store.ListGoldSetsAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Imports_with_the_same_batch_id_are_replayed_not_repeated(string provider)
    {
        await using var store = await TestDatabases.CreateStoreAsync(provider);
        var first = await store.ImportGoldSetAsync(new GoldSetImport("s1", "batch-1", SyntheticGoldSet.Items(8)));
        var again = await store.ImportGoldSetAsync(new GoldSetImport("s1-other-name", "batch-1", SyntheticGoldSet.Items(8)));
        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.Value.Id, again.Value.Id);
        Assert.Single(await store.ListGoldSetsAsync());

        var a1 = await store.RegisterAssessorsAsync(new AssessorBatch("people", [new("p1", "P1", null, "h1"), new("p2", "P2", null, "h2")]));
        var a2 = await store.RegisterAssessorsAsync(new AssessorBatch("people", [new("p3", "P3", null, "h3"), new("p4", "P4", null, "h4")]));
        Assert.True(a2.Replayed);
        Assert.Equal(a1.Value.Select(a => a.Id).Order(), a2.Value.Select(a => a.Id).Order());
        Assert.Equal(2, (await store.ListAssessorsAsync()).Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_gold_set_name_is_taken_once(string provider)
    {
        await using var store = await TestDatabases.CreateStoreAsync(provider);
        await store.ImportGoldSetAsync(new GoldSetImport("same", null, SyntheticGoldSet.Items(4)));
        await Assert.ThrowsAsync<StoreConflictException>(() => store.ImportGoldSetAsync(new GoldSetImport("same", null, SyntheticGoldSet.Items(4))));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_assessor_batch_with_a_clash_stores_nobody(string provider)
    {
        await using var store = await TestDatabases.CreateStoreAsync(provider);
        await Assert.ThrowsAnyAsync<DbException>(() => store.RegisterAssessorsAsync(
            new AssessorBatch(null, [new("p1", "P1", null, "same-hash"), new("p2", "P2", null, "same-hash")])));
        Assert.Empty(await store.ListAssessorsAsync());
        Assert.Null(await store.FindAssessorByTokenHashAsync("same-hash"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Answers_are_taken_in_serving_order_once_each(string provider)
    {
        var (store, _, ids) = await RoundAsync(provider);
        await using var _s = store;
        var a = ids[0];
        Assert.True((await store.RecordAnswerAsync(Answer(a, "t000"), Now)).Accepted);
        Assert.Equal(AnswerRejection.AlreadyAnswered, (await store.RecordAnswerAsync(Answer(a, "t000"), Now)).Rejection);
        Assert.Equal(AnswerRejection.NotCurrentItem, (await store.RecordAnswerAsync(Answer(a, "t005"), Now)).Rejection);
        Assert.Equal(AnswerRejection.ItemNotInRound, (await store.RecordAnswerAsync(Answer(a, "t030"), Now)).Rejection);
        Assert.Equal(AnswerRejection.ItemNotInRound, (await store.RecordAnswerAsync(Answer(a, "no-such-item"), Now)).Rejection);
        Assert.Equal(AnswerRejection.NotInRound, (await store.RecordAnswerAsync(Answer("stranger", "t001"), Now)).Rejection);
        Assert.Equal(AnswerRejection.NotInRound, (await store.RecordAnswerAsync(Answer(a, "t001") with { RoundId = "nope" }, Now)).Rejection);
        var ok = await store.RecordAnswerAsync(Answer(a, "t001", Verdict.Bad), Now);
        Assert.True(ok.Accepted);
        Assert.Equal(2, ok.Progress!.Answered);
        Assert.Equal(2, ok.Progress.Correct); // t000 good, t001 bad: both right

        var stored = await store.ListAnswersAsync("r1");
        Assert.Equal(["t000", "t001"], stored.Select(x => x.ItemId));
        Assert.Equal([0, 1], stored.Select(x => x.Position));
        var progress = await store.GetProgressAsync("r1", a, Now);
        Assert.Equal("t002", progress!.Value.State.CurrentItemId);
        Assert.Equal(RoundStatus.Open, progress.Value.Status);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Closed_and_expired_rounds_take_no_answers(string provider)
    {
        var (store, _, ids) = await RoundAsync(provider, expires: Now.AddMinutes(5));
        await using var _s = store;
        Assert.Equal(AnswerRejection.RoundExpired, (await store.RecordAnswerAsync(Answer(ids[0], "t000"), Now.AddMinutes(6))).Rejection);
        Assert.True(await store.CloseRoundAsync("r1", Now));
        Assert.False(await store.CloseRoundAsync("r1", Now));
        Assert.Equal(AnswerRejection.RoundClosed, (await store.RecordAnswerAsync(Answer(ids[0], "t000"), Now)).Rejection);
        Assert.Empty(await store.ListAnswersAsync("r1"));
        Assert.Equal(RoundStatus.Closed, (await store.GetRoundAsync("r1"))!.StatusAt(Now));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_clear_case_is_stopped_early_and_gets_no_more_items(string provider)
    {
        var (store, _, ids) = await RoundAsync(provider, items: 30, policy: new QualificationPolicy(MinItemsBeforeEarlyStop: 5));
        await using var _s = store;
        var gold = SyntheticGoldSet.Items().ToDictionary(i => i.Id);
        ParticipantState? state = null;
        for (var i = 0; i < 30; i++)
        {
            var id = $"t{i:D3}";
            var outcome = await store.RecordAnswerAsync(Answer(ids[0], id, gold[id].Label == Verdict.Good ? Verdict.Bad : Verdict.Good), Now);
            if (!outcome.Accepted)
            {
                Assert.Equal(AnswerRejection.AssessmentComplete, outcome.Rejection);
                break;
            }
            state = outcome.Progress;
        }
        Assert.Equal(QualificationDecision.Fail, state!.EarlyDecision);
        Assert.True(state.Complete);
        Assert.InRange(state.Answered, 5, 29);
        Assert.Null((await store.GetParticipantAsync("r1", ids[0]))!.CurrentItemId);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Concurrent_answers_are_all_kept_and_a_race_on_one_item_has_one_winner(string provider)
    {
        var (store, _, ids) = await RoundAsync(provider, assessors: 40);
        await using var _s = store;
        var outcomes = await Task.WhenAll(ids.Select(a => store.RecordAnswerAsync(Answer(a, "t000"), Now)));
        Assert.All(outcomes, o => Assert.True(o.Accepted));
        Assert.Equal(40, (await store.ListAnswersAsync("r1")).Count);

        var race = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.RecordAnswerAsync(Answer(ids[0], "t001"), Now))));
        Assert.Single(race, o => o.Accepted);
        Assert.All(race.Where(o => !o.Accepted), o => Assert.Equal(AnswerRejection.AlreadyAnswered, o.Rejection));
        Assert.Equal(2, (await store.GetParticipantAsync("r1", ids[0]))!.Answered);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_reissued_token_replaces_the_old_one(string provider)
    {
        await using var store = await TestDatabases.CreateStoreAsync(provider);
        await store.RegisterAssessorsAsync(new AssessorBatch(null, [new("p1", "P1", null, "old")]));
        Assert.True(await store.ReplaceAssessorTokenAsync("p1", "new"));
        Assert.Null(await store.FindAssessorByTokenHashAsync("old"));
        Assert.Equal("p1", (await store.FindAssessorByTokenHashAsync("new"))!.Id);
        Assert.False(await store.ReplaceAssessorTokenAsync("nobody", "x"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_writer_whose_known_progress_is_stale_is_refused_and_judged_from_the_database(string provider)
    {
        // Two stores on one database; A holds the assessor's progress at item 0 while B moves them on.
        var options = await TestDatabases.CreateAsync(provider);
        await using var a = (SqlQualificationStore)options.CreateStore();
        await a.InitializeAsync();
        var set = (await a.ImportGoldSetAsync(new GoldSetImport("s", null, SyntheticGoldSet.Items()))).Value;
        await a.RegisterAssessorsAsync(new AssessorBatch(null, [new NewAssessor("p", "P", null, "h")]));
        var items = SyntheticGoldSet.Items().Take(4).Select(i => i.Id).ToList();
        await a.CreateRoundAsync(new NewRound("r1", "round", set.Id, 4, new QualificationPolicy(), Now, null, [new RoundAssignment("p", items)]));
        var stale = (await a.GetProgressAsync("r1", "p", Now))!.Value.State;
        Assert.Equal(0, stale.Answered);
        await using var b = (SqlQualificationStore)options.CreateStore();

        Assert.True((await b.RecordAnswerAsync(Answer("p", items[0]), Now)).Accepted);

        // A would accept item 0 from what it knows; the conditional write refuses and the fresh read says why.
        Assert.Equal(AnswerRejection.AlreadyAnswered, (await a.RecordAnswerAsync(Answer("p", items[0]), Now, stale)).Rejection);
        Assert.Equal(AnswerRejection.NotCurrentItem, (await a.RecordAnswerAsync(Answer("p", items[1]), Now, stale)).Rejection); // judged on what A knows
        var second = await a.RecordAnswerAsync(Answer("p", items[1]), Now);
        Assert.True(second.Accepted);
        Assert.Equal(2, second.Progress!.Answered);
        Assert.Equal(2, (await b.ListAnswersAsync("r1")).Count);

        await b.CloseRoundAsync("r1", Now);
        Assert.Equal(AnswerRejection.RoundClosed, (await a.RecordAnswerAsync(Answer("p", items[2]), Now, second.Progress)).Rejection);
        Assert.Equal(2, (await a.ListAnswersAsync("r1")).Count);
    }

    [PostgresFact]
    public async Task PostgreSQL_suite_runs_here() =>
        // Visible marker: when PostgreSQL is missing this fact is skipped with the install hint, and so are the
        // PostgreSQL rows of every theory above.
        Assert.Equal(StorageProvider.Postgres, (await TestDatabases.CreateStoreAsync(TestDatabases.Postgres)).Provider);
}
