using AyaQC.Storage.Postgres;
using AyaQC.Storage.Sqlite;

namespace AyaQC.Storage;

/// <summary>
/// Which database to use: configuration section <c>Storage</c> (<c>Storage:Provider</c> = sqlite | postgres,
/// <c>Storage:ConnectionString</c>). SQLite defaults to <c>data/ayaqc.db</c> under the working directory.
/// </summary>
public sealed class StorageOptions
{
    public const string DefaultSqliteFile = "data/ayaqc.db";

    public string Provider { get; set; } = "sqlite";
    public string? ConnectionString { get; set; }

    public StorageProvider ParsedProvider => Provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => StorageProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => StorageProvider.Postgres,
        _ => throw new InvalidOperationException($"Storage:Provider '{Provider}' is unknown; use 'sqlite' or 'postgres'"),
    };

    public IQualificationStore CreateStore() => new SqlQualificationStore(CreateDatabase());

    /// <summary>The database the stores share (SQLite's single writer must be one per file and process).</summary>
    public SqlDatabase CreateDatabase() => ParsedProvider switch
    {
        StorageProvider.Postgres => new PostgresDatabase(ConnectionString
            ?? throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is 'postgres'")),
        _ => new SqliteDatabase(ConnectionString ?? $"Data Source={DefaultSqliteFile}"),
    };
}
