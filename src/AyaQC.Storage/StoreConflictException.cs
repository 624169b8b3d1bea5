namespace AyaQC.Storage;

/// <summary>A write that contradicts what is stored (a name already taken, a newer schema); the API answers 409.</summary>
public sealed class StoreConflictException(string message) : Exception(message);
