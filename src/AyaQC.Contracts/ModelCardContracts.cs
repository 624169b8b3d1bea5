namespace AyaQC.Contracts;

/// <summary>
/// What a filter job decided, added to its model card (<c>GET /api/v1/jobs/{id}/card</c>, property <c>decisions</c>):
/// the rows whose model decision is this job's (a later job on the same dataset takes over the rows it decides
/// again), by the model's decision, how many a lead has overridden, and the effective decisions after overrides.
/// </summary>
public sealed record ModelCardDecisions(int Rows, int Keep, int Drop, int Review, int Overridden,
    int KeepAfterOverrides, int DropAfterOverrides, int ReviewAfterOverrides);
