using System.Globalization;
using AyaQC.Core.Datasets;

namespace AyaQC.Server.Jobs;

/// <summary>
/// Configuration section <c>BackTranslation</c>: the NLLB model folder (<c>ModelPath</c>, or <c>ayaqc serve --model DIR</c>),
/// the device (cpu | cuda | auto), rows per batch (a chunk of <c>Jobs:BatchesPerChunk</c> batches = one checkpoint), beams, the queue new jobs go to,
/// and the flag thresholds. A request may override batch size, beams, queue and thresholds per job.
/// </summary>
public sealed class BackTranslationOptions
{
    public const string Section = "BackTranslation";

    public string? ModelPath { get; set; }
    public string Device { get; set; } = "auto";
    public int DeviceId { get; set; }
    public int Threads { get; set; }
    public int BatchSize { get; set; } = 32;
    public int? Beams { get; set; }
    public string Queue { get; set; } = JobsOptions.GpuQueue;
    /// <summary>Source sequences (language code + tokens + EOS) longer than this fail their row as too long.</summary>
    public int MaxSourceTokens { get; set; } = 512;
    public FlagOptions Flags { get; set; } = new();
}

/// <summary>Configuration section <c>Jobs</c>: which Hangfire queues this process serves, with how many workers, how fast
/// an idle worker picks up a job, and after how long without a heartbeat a running job's process is taken for dead.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";
    public const string GpuQueue = "gpu", DefaultQueue = "default";

    /// <summary>Comma-separated; "none" or empty: this process only enqueues (e.g. an API node beside GPU workers).</summary>
    public string Queues { get; set; } = $"{GpuQueue},{DefaultQueue}";

    public string[] QueueList => Queues.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(q => q != "none").ToArray();
    public int Workers { get; set; } = 1;
    /// <summary>How often an idle worker looks at its queues for jobs queued by another process. A job queued in this
    /// process (through its API, a retry coming due, a resumed job) wakes a worker at once on SQLite and PostgreSQL alike.</summary>
    public double PollIntervalSeconds { get; set; } = 1;
    /// <summary>How often Hangfire looks for retries that have come due (its schedule holds nothing else here).</summary>
    public double SchedulePollIntervalSeconds { get; set; } = 5;
    public double HeartbeatSeconds { get; set; } = 5;
    public double StaleAfterSeconds { get; set; } = 30;
    /// <summary>Batches a back-translation job translates between two checkpoints (one commit each): fewer commits per
    /// row; a killed run redoes at most this many batches.</summary>
    public int BatchesPerChunk { get; set; } = 8;
    /// <summary>The longest wait between a job's tries while the database is unreachable (waits double from 1 s).</summary>
    public double MaxRetryDelaySeconds { get; set; } = 30;
    /// <summary>SQLite storage cannot slide its invisibility timeout: a job the process died in reruns after this. Our own
    /// recovery (heartbeats) resumes it sooner; this only bounds Hangfire's own retry.</summary>
    public double SqliteInvisibilityMinutes { get; set; } = 60;

    public TimeSpan StaleAfter => TimeSpan.FromSeconds(StaleAfterSeconds);
}

/// <summary>What decides a job's results, fixed when the job starts; its signature names every part.</summary>
public sealed record BackTranslationJobOptions(string Model, int BatchSize, int? Beams, int MaxSourceTokens, FlagOptions Flags)
{
    public string Signature =>
        $"bt|model:{Model}|beams:{(Beams is { } b ? b.ToString(CultureInfo.InvariantCulture) : "model")}|batch:{BatchSize}|maxsrc:{MaxSourceTokens}" +
        $"|sim:{MismatchFlags.SimilarityName}|{Flags.Signature}|version:ayaqc-1";
}
