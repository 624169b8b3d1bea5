using AyaQC.Core.Crowd;
using AyaQC.Tests.Shared;

namespace AyaQC.Core.Tests.Crowd;

/// <summary>Loads the public data sets in ../shared/crowd-data once per test run.</summary>
internal static class SharedCrowdData
{
    static readonly Dictionary<string, (CrowdAnswers Answers, int[] Gold)> Cache = new();

    public static (CrowdAnswers Answers, int[] Gold) Load(string name)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(name, out var hit)) return hit;
            using var answersReader = new StreamReader(RepoPaths.InShared("crowd-data", name, "answers.tsv"));
            var answers = CrowdTsv.ReadAnswers(answersReader, name + "/answers.tsv");
            using var goldReader = new StreamReader(RepoPaths.InShared("crowd-data", name, "gold.tsv"));
            var gold = answers.TaskLabels(CrowdTsv.ReadTaskLabels(goldReader, name + "/gold.tsv"), out _);
            return Cache[name] = (answers, gold);
        }
    }
}
