using AyaQC.Core.Assessment;

namespace AyaQC.Core.Tests.Assessment;

/// <summary>A simulated assessor: accuracy on rows and controls, seconds per answer.</summary>
public sealed record Crowdworker(string Id, double Accuracy, double Seconds = 10);

/// <summary>
/// Drives a board with simulated assessors taking turns (small boards, so a run takes milliseconds) and checks the
/// serving invariants after every step.
/// </summary>
public sealed class BoardRun
{
    public AssessmentBoard Board { get; }
    public int[] Truth { get; }
    public Dictionary<string, HashSet<string>> ServedTo { get; } = [];
    public int ControlsServed { get; private set; }
    public int RowsServed { get; private set; }
    readonly Random _random;
    DateTimeOffset _now = DateTimeOffset.UnixEpoch;

    public BoardRun(AssessmentSettings settings, int rows, int controls, int seed)
    {
        _random = new Random(seed);
        Truth = Enumerable.Range(0, rows + controls).Select(_ => _random.Next(settings.Labels.Count)).ToArray();
        Board = new AssessmentBoard(settings, Enumerable.Range(0, rows).Select(r => $"row-{r}").ToList(),
            Enumerable.Range(0, controls).Select(c => new ControlItem($"gold-{c}", Truth[rows + c])).ToList(),
            new OpaqueItemIds(new byte[32]), seed);
    }

    public int TruthOf(BoardItem item) => item.IsControl ? Truth[Board.RowCount + item.Index] : Truth[item.Index];

    /// <summary>
    /// Assessors take random turns: one with an item answers it, one without asks for one (so several reservations
    /// are open at once). Ends when every assessor has asked and got nothing since the last answer.
    /// </summary>
    public int Run(IReadOnlyList<Crowdworker> crowd, int maxSteps = 100_000, Action? afterEachAnswer = null)
    {
        var holding = new Dictionary<string, Served>();
        var idle = new HashSet<string>();
        var answers = 0;
        for (var step = 0; step < maxSteps && idle.Count < crowd.Count; step++)
        {
            var worker = crowd[_random.Next(crowd.Count)];
            if (!holding.Remove(worker.Id, out var served))
            {
                served = Board.Next(worker.Id, _now);
                if (served.Status != ServeStatus.Item) { idle.Add(worker.Id); continue; }
                idle.Remove(worker.Id);
                var seen = ServedTo.TryGetValue(worker.Id, out var s) ? s : ServedTo[worker.Id] = [];
                if (!seen.Add(served.ItemId!)) throw new InvalidOperationException($"{served.ItemId} served twice to {worker.Id}");
                if (served.Item.IsControl) ControlsServed++; else RowsServed++;
                holding[worker.Id] = served;
                continue;
            }
            var truth = TruthOf(served.Item);
            var k = Board.Settings.Labels.Count;
            var label = _random.NextDouble() < worker.Accuracy ? truth : (truth + 1 + _random.Next(k - 1)) % k;
            _now += TimeSpan.FromSeconds(worker.Seconds);
            var outcome = Board.Answer(worker.Id, served.ItemId!, label, _now);
            if (outcome.Rejection == AnswerRejection.Suspended) { idle.Add(worker.Id); continue; }
            if (!outcome.Accepted) throw new InvalidOperationException($"answer refused: {outcome.Detail}");
            answers++;
            idle.Clear();
            afterEachAnswer?.Invoke();
        }
        return answers;
    }

    public static List<Crowdworker> Crowd(int honest, int spammers, double honestAccuracy = 0.9, string prefix = "a") =>
        [.. Enumerable.Range(0, honest).Select(i => new Crowdworker($"{prefix}h{i}", honestAccuracy)),
         .. Enumerable.Range(0, spammers).Select(i => new Crowdworker($"{prefix}s{i}", 0.5))];
}
