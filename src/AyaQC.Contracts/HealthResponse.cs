namespace AyaQC.Contracts;

/// <summary>Liveness: "ok", the storage provider and the schema version applied.</summary>
public sealed record HealthResponse(string Status, string Storage, int SchemaVersion);
