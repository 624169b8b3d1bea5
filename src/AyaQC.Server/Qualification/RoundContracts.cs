using AyaQC.Contracts;
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
        new(p.PassThreshold, p.SprtP0, p.SprtP1, p.SprtAlpha, p.SprtBeta, p.MinItemsBeforeEarlyStop, p.TopK, p.MinBadRecall);

    /// <summary>Core's defaults overridden by what the request names; problems name the offending field.</summary>
    public static (QualificationPolicy Policy, List<FieldProblem> Problems) ToCore(RoundPolicy? requested)
    {
        var d = new QualificationPolicy();
        var r = requested ?? new RoundPolicy();
        var p = d with
        {
            PassThreshold = r.PassThreshold ?? d.PassThreshold,
            MinBadRecall = r.MinBadRecall ?? d.MinBadRecall,
            SprtP0 = r.SprtP0 ?? d.SprtP0,
            SprtP1 = r.SprtP1 ?? d.SprtP1,
            SprtAlpha = r.SprtAlpha ?? d.SprtAlpha,
            SprtBeta = r.SprtBeta ?? d.SprtBeta,
            MinItemsBeforeEarlyStop = r.MinItemsBeforeEarlyStop ?? d.MinItemsBeforeEarlyStop,
            TopK = r.TopK ?? d.TopK,
        };
        try
        {
            return (p.Validated(), []);
        }
        catch (ArgumentException e)
        {
            var field = e.ParamName is { Length: > 0 } n ? "policy." + char.ToLowerInvariant(n[0]) + n[1..] : "policy";
            return (p, [new FieldProblem(null, field, e.Message.Split(" (Parameter")[0])]);
        }
    }
}
