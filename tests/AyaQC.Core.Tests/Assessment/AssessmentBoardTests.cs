using AyaQC.Core.Assessment;
using AyaQC.Core.Crowd;
using FsCheck;
using FsCheck.Fluent;

namespace AyaQC.Core.Tests.Assessment;

public class AssessmentBoardTests
{
    static readonly AssessmentSettings NoWatch = new()
    {
        Suspension = new SuspensionPolicy { Controls = SignalRule.Off, Speed = SignalRule.Off, Agreement = SignalRule.Off },
    };

    [Fact]
    public void Fixed_overlap_gives_every_row_exactly_k_votes_from_distinct_assessors()
    {
        var run = new BoardRun(NoWatch with { Overlap = OverlapRule.FixedVotes(3), ControlRate = 0.2 }, rows: 40, controls: 10, seed: 3);
        run.Run(BoardRun.Crowd(6, 0));
        for (var r = 0; r < 40; r++) Assert.Equal(3, run.Board.Row(r).Votes);
        foreach (var r in Enumerable.Range(0, 40))
            Assert.Equal(3, run.Board.Votes.Where(v => !v.Item.IsControl && v.Item.Index == r).Select(v => v.Assessor).Distinct().Count());
        Assert.Equal(40, run.Board.FinishedRows());
    }

    [Fact]
    public void Serving_invariants_hold_on_random_boards()
    {
        var gen = from rows in Gen.Choose(1, 30)
                  from controls in Gen.Choose(0, 8)
                  from workers in Gen.Choose(1, 9)
                  from k in Gen.Choose(1, 5)
                  from dynamic in Gen.Elements(true, false)
                  from quota in Gen.Choose(0, 12)
                  from seed in Gen.Choose(1, 100_000)
                  select (rows, controls, workers, k, dynamic, quota, seed);
        Prop.ForAll(Arb.From(gen), c =>
        {
            var overlap = c.dynamic
                ? OverlapRule.DynamicVotes(new DynamicOverlapPolicy { MinVotes = 1, MaxVotes = c.k, TargetPosterior = 0.9 })
                : OverlapRule.FixedVotes(c.k);
            var run = new BoardRun(NoWatch with { Overlap = overlap, ControlRate = 0.25, Quota = c.quota }, c.rows, c.controls, c.seed);
            var crowd = BoardRun.Crowd(c.workers, 0, 0.8);
            run.Run(crowd, afterEachAnswer: () =>
            {
                for (var r = 0; r < c.rows; r++) Assert.True(run.Board.Row(r).Votes <= c.k, $"row {r} has more than {c.k} votes");
            });
            foreach (var (worker, seen) in run.ServedTo)
                if (c.quota > 0) Assert.True(seen.Count <= c.quota, $"{worker} served {seen.Count} > quota {c.quota}");
            // With no quota everyone kept asking until there was no work: rows then have all the votes they can get.
            if (c.quota == 0)
                for (var r = 0; r < c.rows; r++)
                {
                    var state = run.Board.Row(r);
                    Assert.True(state.Finished || state.Votes == Math.Min(c.workers, c.k) || state.Votes == c.workers,
                        $"row {r} left with {state.Votes} votes, unfinished, with {c.workers} assessors");
                    if (!c.dynamic) Assert.Equal(Math.Min(c.k, c.workers), state.Votes);
                    else Assert.InRange(state.Votes, Math.Min(1, c.workers), Math.Min(c.k, c.workers));
                }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    [Fact]
    public void A_row_is_reserved_while_its_lease_holds_and_freed_after()
    {
        var board = new AssessmentBoard(NoWatch with { Overlap = OverlapRule.FixedVotes(1), ControlRate = 0, Lease = TimeSpan.FromMinutes(1) },
            ["only"], [], new OpaqueItemIds(new byte[32]), 1);
        var t0 = DateTimeOffset.UnixEpoch;
        var first = board.Next("a", t0);
        Assert.Equal(ServeStatus.Item, first.Status);
        Assert.Equal(first.ItemId, board.Next("a", t0.AddSeconds(5)).ItemId); // the same item again while unanswered
        Assert.Equal(ServeStatus.NoWork, board.Next("b", t0.AddSeconds(30)).Status); // the row's one vote is reserved
        var second = board.Next("b", t0.AddMinutes(2));
        Assert.Equal(first.ItemId, second.ItemId); // a's lease lapsed: b takes the row
        Assert.Equal(AnswerRejection.AlreadyAnswered, board.Answer("a", first.ItemId!, 1, t0.AddMinutes(3)).Rejection);
        Assert.True(board.Answer("b", second.ItemId!, 1, t0.AddMinutes(3)).Accepted);
        Assert.Equal(AnswerRejection.AlreadyAnswered, board.Answer("b", second.ItemId!, 1, t0.AddMinutes(3)).Rejection);
        Assert.Equal(AnswerRejection.NotServed, board.Answer("c", second.ItemId!, 1, t0.AddMinutes(3)).Rejection);
        Assert.Equal(AnswerRejection.NotServed, board.Answer("b", "nosuchitem", 1, t0.AddMinutes(3)).Rejection);
    }

    /// <summary>
    /// Assessors walk away from items they were served and never come back: only the lapsing of those leases frees
    /// the rows for the others. However the steps interleave, no row goes over its overlap or twice to anyone, and
    /// when the assessors still there get nothing more, every unfinished row has been seen by all of them (no row is
    /// stranded by the board's index of rows with room).
    /// </summary>
    [Fact]
    public void Rows_left_by_assessors_who_walk_away_come_back_once_their_leases_lapse()
    {
        var gen = from rows in Gen.Choose(1, 40)
                  from workers in Gen.Choose(2, 12)
                  from k in Gen.Choose(1, 4)
                  from dynamic in Gen.Elements(true, false)
                  from leave in Gen.Choose(0, 30)
                  from seed in Gen.Choose(1, 100_000)
                  select (rows, workers, k, dynamic, leave, seed);
        Prop.ForAll(Arb.From(gen), c =>
        {
            var lease = TimeSpan.FromMinutes(10); // longer than two rounds of steps: only walking away lets a lease lapse
            var overlap = c.dynamic
                ? OverlapRule.DynamicVotes(new DynamicOverlapPolicy { MinVotes = 1, MaxVotes = c.k, TargetPosterior = 0.9 })
                : OverlapRule.FixedVotes(c.k);
            var board = new AssessmentBoard(NoWatch with { Overlap = overlap, ControlRate = 0.2, Lease = lease },
                Enumerable.Range(0, c.rows).Select(r => $"row-{r}").ToList(), [new ControlItem("gold-0", 1), new ControlItem("gold-1", 0)],
                new OpaqueItemIds(new byte[32]), c.seed);
            var random = new Random(c.seed);
            var now = DateTimeOffset.UnixEpoch;
            var active = Enumerable.Range(0, c.workers).Select(w => $"w{w}").ToList();
            var seen = active.ToDictionary(w => w, _ => new HashSet<string>());
            var holding = new Dictionary<string, Served>();
            for (var quietRounds = 0; quietRounds < 2 && active.Count > 0;)
            {
                var anyWork = false;
                foreach (var w in active.OrderBy(_ => random.Next()).ToList())
                {
                    now += TimeSpan.FromSeconds(random.Next(1, 20));
                    if (holding.Remove(w, out var held))
                    {
                        if (random.Next(100) < c.leave) { active.Remove(w); continue; } // walks away holding the item
                        Assert.True(board.Answer(w, held.ItemId!, random.Next(2), now).Accepted);
                        anyWork = true;
                        continue;
                    }
                    var served = board.Next(w, now);
                    if (served.Status != ServeStatus.Item) continue;
                    Assert.True(seen[w].Add(served.ItemId!), $"{served.ItemId} served twice to {w}");
                    holding[w] = served;
                    anyWork = true;
                }
                for (var r = 0; r < c.rows; r++) Assert.True(board.Row(r).Votes <= c.k, $"row {r} has more than {c.k} votes");
                if (anyWork) quietRounds = 0;
                else { quietRounds++; now += lease + TimeSpan.FromSeconds(1); } // let every lease lapse, then ask once more
            }
            for (var r = 0; r < c.rows; r++)
            {
                var id = board.ItemId(new BoardItem(false, r));
                if (!board.Row(r).Finished)
                    Assert.All(active, w => Assert.Contains(id, seen[w]));
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void Control_items_come_at_the_configured_rate_with_ids_shaped_like_rows()
    {
        var run = new BoardRun(NoWatch with { Overlap = OverlapRule.FixedVotes(2), ControlRate = 0.3 }, rows: 300, controls: 200, seed: 9);
        run.Run(BoardRun.Crowd(4, 0));
        var share = run.ControlsServed / (double)(run.ControlsServed + run.RowsServed);
        Assert.InRange(share, 0.22, 0.38);
        var ids = run.ServedTo.Values.SelectMany(s => s).ToList();
        Assert.All(ids, id => Assert.Matches("^[a-z2-7]{20}$", id));
        // No ordering tell: the ordinal order of ids does not separate controls from rows.
        var sorted = ids.Distinct().Order(StringComparer.Ordinal).ToList();
        var controlRanks = sorted.Select((id, i) => (id, i)).Where(p => run.Board.TryGetItem(p.id, out var item) && item.IsControl).Select(p => p.i / (double)sorted.Count).ToList();
        Assert.InRange(controlRanks.Average(), 0.35, 0.65);
    }

    [Fact]
    public void Opaque_ids_depend_on_the_key_and_never_say_what_the_item_is()
    {
        var a = new OpaqueItemIds(Enumerable.Repeat((byte)1, 32).ToArray());
        var b = new OpaqueItemIds(Enumerable.Repeat((byte)2, 32).ToArray());
        Assert.Equal(a.Row("r1"), a.Row("r1"));
        Assert.NotEqual(a.Row("r1"), b.Row("r1"));
        Assert.NotEqual(a.Row("x"), a.Control("x"));
        Assert.DoesNotContain("r1", a.Row("r1"));
    }

    [Fact]
    public void Dynamic_overlap_spends_fewer_votes_than_fixed_at_max_and_stays_within_bounds()
    {
        var dynamic = OverlapRule.DynamicVotes(new DynamicOverlapPolicy { MinVotes = 2, MaxVotes = 5, TargetPosterior = 0.95 });
        var runD = new BoardRun(NoWatch with { Overlap = dynamic, ControlRate = 0.1 }, rows: 120, controls: 30, seed: 4);
        runD.Run(BoardRun.Crowd(8, 0, 0.9));
        var runF = new BoardRun(NoWatch with { Overlap = OverlapRule.FixedVotes(5), ControlRate = 0.1 }, rows: 120, controls: 30, seed: 4);
        runF.Run(BoardRun.Crowd(8, 0, 0.9));
        var dynamicVotes = Enumerable.Range(0, 120).Sum(r => runD.Board.Row(r).Votes);
        Assert.Equal(600, Enumerable.Range(0, 120).Sum(r => runF.Board.Row(r).Votes));
        Assert.True(dynamicVotes < 450, $"dynamic overlap used {dynamicVotes} votes");
        Assert.All(Enumerable.Range(0, 120), r => Assert.InRange(runD.Board.Row(r).Votes, 2, 5));
        Assert.All(Enumerable.Range(0, 120), r => Assert.True(runD.Board.Row(r).Finished));
    }

    [Fact]
    public void Replaying_stored_votes_rebuilds_the_same_rows()
    {
        var settings = NoWatch with { Overlap = OverlapRule.FixedVotes(2), ControlRate = 0.2 };
        var run = new BoardRun(settings, rows: 30, controls: 10, seed: 12);
        run.Run(BoardRun.Crowd(5, 0, 0.8));
        var copy = new AssessmentBoard(settings, run.Board.RowIds, run.Board.Controls, new OpaqueItemIds(new byte[32]), 99);
        foreach (var v in run.Board.Votes) Assert.True(copy.Replay(v.Assessor, run.Board.ItemId(v.Item), v.Label, 10).Accepted);
        for (var r = 0; r < 30; r++) Assert.Equal(run.Board.Row(r), copy.Row(r));
        Assert.Equal(ServeStatus.NoWork, copy.Next("ah0", DateTimeOffset.UnixEpoch).Status);
    }
}
