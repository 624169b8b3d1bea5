using AyaQC.Core.Qualification;

namespace AyaQC.Grains;

// Core stays free of Orleans: its records cross grain calls through these surrogates.

[GenerateSerializer, Immutable]
public readonly record struct QualificationPolicySurrogate(
    double PassThreshold, double SprtP0, double SprtP1, double SprtAlpha, double SprtBeta, int MinItemsBeforeEarlyStop, int? TopK, double MinBadRecall);

[RegisterConverter]
public sealed class QualificationPolicyConverter : IConverter<QualificationPolicy, QualificationPolicySurrogate>
{
    public QualificationPolicy ConvertFromSurrogate(in QualificationPolicySurrogate s) =>
        new(s.PassThreshold, s.SprtP0, s.SprtP1, s.SprtAlpha, s.SprtBeta, s.MinItemsBeforeEarlyStop, s.TopK, s.MinBadRecall);

    public QualificationPolicySurrogate ConvertToSurrogate(in QualificationPolicy p) =>
        new(p.PassThreshold, p.SprtP0, p.SprtP1, p.SprtAlpha, p.SprtBeta, p.MinItemsBeforeEarlyStop, p.TopK, p.MinBadRecall);
}

[GenerateSerializer, Immutable]
public readonly record struct ErrorTypeTallySurrogate(int Correct, int Total);

[RegisterConverter]
public sealed class ErrorTypeTallyConverter : IConverter<ErrorTypeTally, ErrorTypeTallySurrogate>
{
    public ErrorTypeTally ConvertFromSurrogate(in ErrorTypeTallySurrogate s) => new(s.Correct, s.Total);
    public ErrorTypeTallySurrogate ConvertToSurrogate(in ErrorTypeTally t) => new(t.Correct, t.Total);
}

/// <summary><see cref="AssessorScore"/> field by field; the decision travels as its name.</summary>
[GenerateSerializer, Immutable]
public readonly record struct AssessorScoreSurrogate(
    int Answered, int Correct, double Accuracy, double BalancedAccuracy, double? CohensKappa, double? BadRecall,
    double WilsonLow, double WilsonHigh, Dictionary<string, ErrorTypeTally> PerErrorType, double? ErrorTypeNamed,
    string Decision, bool DecidedEarly, int DecidedAfter, int ItemsSaved, string Reason);

[RegisterConverter]
public sealed class AssessorScoreConverter : IConverter<AssessorScore, AssessorScoreSurrogate>
{
    public AssessorScore ConvertFromSurrogate(in AssessorScoreSurrogate s) => new(
        s.Answered, s.Correct, s.Accuracy, s.BalancedAccuracy, s.CohensKappa, s.BadRecall, s.WilsonLow, s.WilsonHigh,
        s.PerErrorType, s.ErrorTypeNamed, Enum.Parse<QualificationDecision>(s.Decision), s.DecidedEarly, s.DecidedAfter, s.ItemsSaved, s.Reason);

    public AssessorScoreSurrogate ConvertToSurrogate(in AssessorScore a) => new(
        a.Answered, a.Correct, a.Accuracy, a.BalancedAccuracy, a.CohensKappa, a.BadRecall, a.WilsonLow, a.WilsonHigh,
        new Dictionary<string, ErrorTypeTally>(a.PerErrorType), a.ErrorTypeNamed, a.Decision.ToString(), a.DecidedEarly, a.DecidedAfter, a.ItemsSaved, a.Reason);
}
