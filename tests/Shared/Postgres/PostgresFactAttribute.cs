namespace AyaQC.Tests.Shared;

/// <summary>A fact needing PostgreSQL; skipped with a clear message where Debian's postgresql package is absent.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!ThrowawayPostgres.IsAvailable) Skip = ThrowawayPostgres.MissingMessage;
    }
}
