using System.Text.Json;
using AyaQC.Core.Qualification;

namespace AyaQC.Server.Tests.Support;

/// <summary>
/// Small gold sets built in code for the suites (the shipped set is the gold-set authors' work and may change).
/// Half good; the bad half cycles through every error type. Each explanation is a unique marker so a leak is visible.
/// </summary>
public static class SyntheticGoldSet
{
    public static IReadOnlyList<GoldItem> Items(int count = 36)
    {
        var items = new List<GoldItem>();
        for (var i = 0; i < count; i++)
        {
            var good = i % 2 == 0;
            var errorType = good ? null : ErrorTypes.All[(i / 2) % ErrorTypes.All.Count];
            items.Add(new GoldItem($"t{i:D3}", "eng_Latn", "swh_Latn",
                $"Source sentence number {i} about the market.",
                good ? $"Sentensi ya chanzo namba {i} kuhusu soko." : $"Tafsiri yenye kosa namba {i} kuhusu soko.",
                good ? Verdict.Good : Verdict.Bad, errorType,
                good ? null : $"EXPLANATION-MARKER-{i:D3}"));
        }
        return items;
    }

    public static string Jsonl(IEnumerable<GoldItem> items) =>
        string.Concat(items.Select(i => JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["id"] = i.Id, ["source_lang"] = i.SourceLang, ["target_lang"] = i.TargetLang, ["source"] = i.Source,
            ["translation"] = i.Translation, ["label"] = i.Label == Verdict.Good ? "good" : "bad",
            ["error_type"] = i.ErrorType, ["explanation"] = i.Explanation,
        }.Where(p => p.Value is not null).ToDictionary()) + "\n"));
}
