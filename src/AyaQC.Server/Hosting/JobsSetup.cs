using Microsoft.Extensions.DependencyInjection.Extensions;
using AyaQC.Server.Jobs;
using AyaQC.Storage;
using AyaQC.Storage.Datasets;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;

namespace AyaQC.Server.Hosting;

/// <summary>
/// Background jobs on Hangfire, stored in the same database as our tables: SQLite storage on the embedded default,
/// PostgreSQL storage (schema <c>hangfire</c>, sliding invisibility timeout) in production. Processes that serve queues
/// (<c>Jobs:Queues</c>) run a Hangfire server and resume jobs whose process died. Progress and checkpoints live in our
/// tables, so a job's state never depends on Hangfire's.
/// </summary>
public static class JobsSetup
{
    public static IServiceCollection AddAyaQCJobs(this IServiceCollection services, IConfiguration configuration, StorageOptions storage)
    {
        services.Configure<BackTranslationOptions>(configuration.GetSection(BackTranslationOptions.Section));
        services.Configure<JobsOptions>(configuration.GetSection(JobsOptions.Section));
        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.AddSingleton<BackTranslationJobStore>();
        services.AddSingleton<AyaQC.Storage.Filtering.FilterJobStore>(); // the stale-run recovery watches both kinds of job
        services.AddSingleton<TranslatorHolder>();
        services.AddTransient<BackTranslationRunner>();
        services.AddTransient<FilterRunner>();
        services.AddTransient<LabelsRunner>();
        services.TryAddSingleton<AyaQC.Storage.Assessment.ProjectStore>(); // filter jobs read accepted post-edits (training labels)

        var poll = TimeSpan.FromSeconds(jobs.PollIntervalSeconds);
        // This process's own storage and activator. Hangfire's defaults are the process-wide JobStorage.Current and
        // JobActivator.Current: two servers starting in one process (the test suites, the CLI's embedded server) could
        // then enqueue into, poll, or activate jobs with each other's database and services.
        if (storage.ParsedProvider == StorageProvider.Postgres)
        {
            services.AddSingleton(_ => new HangfireNpgsqlConnections(storage.ConnectionString!));
            services.AddSingleton<JobStorage>(sp => WithOwnLogs(sp, () => new PostgreSqlStorage(sp.GetRequiredService<HangfireNpgsqlConnections>(), new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = poll,
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
            })));
        }
        else
            services.AddSingleton<JobStorage>(sp => WithOwnLogs(sp, () => new SqliteJobStorage(SqliteFile(storage), new SQLiteStorageOptions
            {
                QueuePollInterval = poll,
                InvisibilityTimeout = TimeSpan.FromMinutes(jobs.SqliteInvisibilityMinutes),
            })));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, c) => c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings().UseLogProvider(new HangfireLogs(sp.GetRequiredService<ILoggerFactory>())));
        if (jobs.QueueList.Length > 0)
        {
            services.AddHangfireServer(o =>
            {
                o.Queues = jobs.QueueList;
                o.WorkerCount = Math.Max(1, jobs.Workers);
                // Only retries wait in Hangfire's schedule (no recurring jobs): a due retry is queued within this, and
                // the queue wakes a worker at once. Polling it every second cost as much as the queue poll itself.
                o.SchedulePollingInterval = TimeSpan.FromSeconds(jobs.SchedulePollIntervalSeconds);
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
            services.AddHostedService<StaleJobRecovery>();
        }
        return services;
    }

    /// <summary>
    /// Hangfire logs through one process-wide provider, and its storages log while they are built: point it at this
    /// server's logger factory first, or a storage built after an earlier in-process server stopped would log into
    /// that server's disposed factory (<see cref="HangfireLogs"/> also stays quiet instead of failing when another
    /// in-process server stops while this one runs).
    /// </summary>
    static JobStorage WithOwnLogs(IServiceProvider sp, Func<JobStorage> build)
    {
        GlobalConfiguration.Configuration.UseLogProvider(new HangfireLogs(sp.GetRequiredService<ILoggerFactory>()));
        return build();
    }

    static string SqliteFile(StorageOptions storage)
    {
        var file = Path.GetFullPath(new SqliteConnectionStringBuilder(storage.ConnectionString ?? $"Data Source={StorageOptions.DefaultSqliteFile}").DataSource);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!); // Hangfire may open the file before our store does
        return file;
    }
}
