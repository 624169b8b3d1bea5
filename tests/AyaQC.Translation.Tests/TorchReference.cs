using System.Text.Json;

namespace AyaQC.Translation.Tests;

/// <summary>Fixtures/reference.json: the ids torch produced for the tiny model (make_fixtures.py, no KV cache).</summary>
sealed class TorchReference
{
    public static readonly TorchReference Instance = new();

    public string[] Sentences { get; }
    public long[][] Sources { get; }
    public long ForcedBos { get; }
    public long[][] Greedy { get; }
    public (int NumBeams, double LengthPenalty, long[][] Ids)[] Beams { get; }
    public double[] Step0LogProbsRow0 { get; }

    TorchReference()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FixturePaths.Dir("reference.json")));
        var root = doc.RootElement;
        static long[][] Rows(JsonElement e) => e.EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray();
        Sentences = root.GetProperty("sentences").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Sources = Rows(root.GetProperty("source_ids"));
        ForcedBos = root.GetProperty("forced_bos").GetInt64();
        Greedy = Rows(root.GetProperty("greedy"));
        Beams = root.GetProperty("beam").EnumerateArray()
            .Select(b => (b.GetProperty("num_beams").GetInt32(), b.GetProperty("length_penalty").GetDouble(), Rows(b.GetProperty("ids"))))
            .ToArray();
        Step0LogProbsRow0 = root.GetProperty("step0_logprobs_row0_first8").EnumerateArray().Select(x => x.GetDouble()).ToArray();
    }
}
