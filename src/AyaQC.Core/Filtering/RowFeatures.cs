using AyaQC.Core.Metrics;

namespace AyaQC.Core.Filtering;

/// <summary>
/// Turns a row's signals into named numeric features. The rule for each feature lives here; a missing signal is
/// null (no votes → no crowd features; no back-translation → no bt features), never zero.
/// </summary>
public static class RowFeatures
{
    public const string CrowdPGood = "crowd_p_good", CrowdVotes = "crowd_votes", CrowdEntropy = "crowd_entropy",
        CrowdSkillMean = "crowd_skill_mean", CrowdSkillMin = "crowd_skill_min", CrowdVerifiedShare = "crowd_verified_share",
        BtChrF = "bt_chrfpp", BtLengthRatio = "bt_length_ratio", PostEditHter = "pe_hter", FlagPrefix = "flag_";

    /// <summary>The fixed features every row has (flags and dataset signals are added by name after these).</summary>
    public static readonly IReadOnlyList<string> Fixed =
        [CrowdPGood, CrowdVotes, CrowdEntropy, CrowdSkillMean, CrowdSkillMin, CrowdVerifiedShare, BtChrF, BtLengthRatio, PostEditHter];

    static readonly TranslationEditRate Ter = new();

    public static IReadOnlyDictionary<string, double?> Of(RowSignals row)
    {
        var features = new Dictionary<string, double?>(StringComparer.Ordinal);
        var votes = row.Votes;
        if (votes.Count == 0)
        {
            // No votes: the count is known (0), everything derived from votes is missing.
            features[CrowdVotes] = 0;
            features[CrowdPGood] = features[CrowdEntropy] = features[CrowdSkillMean] = features[CrowdSkillMin] = features[CrowdVerifiedShare] = null;
        }
        else
        {
            var p = CrowdPosterior.Good(votes);
            features[CrowdPGood] = p;
            features[CrowdVotes] = votes.Count;
            features[CrowdEntropy] = CrowdPosterior.Entropy(p);
            features[CrowdSkillMean] = votes.Average(v => v.Skill);
            features[CrowdSkillMin] = votes.Min(v => v.Skill);
            features[CrowdVerifiedShare] = (double)votes.Count(v => v.ControlVerified) / votes.Count;
        }
        features[BtChrF] = row.BackTranslationChrF;
        features[BtLengthRatio] = row.BackTranslationLengthRatio;
        features[PostEditHter] = row.Translation is { } mt && row.AcceptedPostEdit is { } pe ? Ter.SentenceScore(mt, pe) / 100 : null;
        foreach (var (name, value) in row.Flags) features[FlagPrefix + name] = value ? 1 : 0;
        foreach (var (name, value) in row.NumericSignals)
        {
            if (features.ContainsKey(name)) throw new ArgumentException($"signal column '{name}' clashes with a computed feature", nameof(row));
            features[name] = value is { } v && double.IsFinite(v) ? v : null;
        }
        return features;
    }

    /// <summary>A feature table over many rows: columns are the fixed features, then every flag and signal seen, sorted.</summary>
    public static FeatureTable Table(IEnumerable<(RowSignals Row, bool? Label)> rows)
    {
        var ids = new List<string>();
        var labels = new List<bool?>();
        var maps = new List<IReadOnlyDictionary<string, double?>>();
        var extra = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (row, label) in rows)
        {
            var map = Of(row);
            ids.Add(row.Id);
            labels.Add(label);
            maps.Add(map);
            foreach (var name in map.Keys) if (!Fixed.Contains(name)) extra.Add(name);
        }
        var columns = Fixed.Concat(extra).ToArray();
        var values = new double?[maps.Count][];
        for (var r = 0; r < maps.Count; r++)
        {
            values[r] = new double?[columns.Length];
            for (var c = 0; c < columns.Length; c++) values[r][c] = maps[r].TryGetValue(columns[c], out var v) ? v : null;
        }
        return new FeatureTable(columns, ids, values, labels);
    }
}
