using AyaQC.Client.Contracts;
using AyaQC.Core.Qualification;
using AyaQC.Storage;

namespace AyaQC.Server.Qualification;

/// <summary>Maps stored rounds and policies to and from the API's shapes.</summary>
public static class RoundContracts
{
    public static RoundResponse ToResponse(StoredRound r, DateTimeOffset now) =>
        new(r.Id, r.Name, r.GoldSetId, r.ItemsPerAssessor, StatusText(r.StatusAt(now)), r.Participants,
            r.CreatedAt, r.ExpiresAt, r.ClosedAt, FromCore(r.Policy), r.Policy.Signature);

    public static string StatusText(RoundStatus s) => s switch
    {
        RoundStatus.Open => "open",
        RoundStatus.Closed => "closed",
        _ => "expired",
    };

    public static RoundPolicy FromCore(QualificationPolicy p) =>
        new(p.PassThreshold, p.SprtP0, p.SprtP1, p.SprtAlpha, p.SprtBeta, p.MinItemsBeforeEarlyStop, p.TopK);

    /// <summary>Core's defaults overridden by what the request names; problems name the offending field.</summary>
    public static (QualificationPolicy Policy, List<FieldProblem> Problems) ToCore(RoundPolicy? requested)
    {
        var d = new QualificationPolicy();
        var r = requested ?? new RoundPolicy();
        var p = d with
        {
            PassThreshold = r.PassThreshold ?? d.PassThreshold,
            SprtP0 = r.SprtP0 ?? d.SprtP0,
            SprtP1 = r.SprtP1 ?? d.SprtP1,
            SprtAlpha = r.SprtAlpha ?? d.SprtAlpha,
            SprtBeta = r.SprtBeta ?? d.SprtBeta,
            MinItemsBeforeEarlyStop = r.MinItemsBeforeEarlyStop ?? d.MinItemsBeforeEarlyStop,
            TopK = r.TopK ?? d.TopK,
        };
        var problems = new List<FieldProblem>();
        void Check(bool ok, string field, string message) { if (!ok) problems.Add(new(null, "policy." + field, message)); }
        Check(p.PassThreshold is > 0 and < 1, "passThreshold", "must be between 0 and 1");
        Check(p.SprtP0 is > 0 and < 1, "sprtP0", "must be between 0 and 1");
        Check(p.SprtP1 is > 0 and < 1 && p.SprtP1 > p.SprtP0, "sprtP1", "must be between sprtP0 and 1");
        Check(p.SprtAlpha is > 0 and < 0.5, "sprtAlpha", "must be between 0 and 0.5");
        Check(p.SprtBeta is > 0 and < 0.5, "sprtBeta", "must be between 0 and 0.5");
        Check(p.MinItemsBeforeEarlyStop >= 1, "minItemsBeforeEarlyStop", "must be at least 1");
        Check(p.TopK is null or >= 1, "topK", "must be at least 1");
        return (p, problems);
    }
}
