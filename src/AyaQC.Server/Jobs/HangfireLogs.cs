using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace AyaQC.Server.Jobs;

/// <summary>
/// Hangfire logs through one process-wide provider. With several servers in one process (tests, benches) a stopped
/// server's logger factory is disposed while the provider may still point at it; this one then logs nothing instead of
/// failing the next Hangfire storage or server that asks it for a logger.
/// </summary>
public sealed class HangfireLogs(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try { return new Forward(factory.CreateLogger(name)); }
        catch (ObjectDisposedException) { return new Forward(null); }
    }

    sealed class Forward(ILogger? logger) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = logLevel switch
            {
                HangfireLevel.Trace => MsLogLevel.Trace,
                HangfireLevel.Debug => MsLogLevel.Debug,
                HangfireLevel.Info => MsLogLevel.Information,
                HangfireLevel.Warn => MsLogLevel.Warning,
                HangfireLevel.Error => MsLogLevel.Error,
                _ => MsLogLevel.Critical,
            };
            if (logger is null || !logger.IsEnabled(level)) return false;
            if (messageFunc is not null) logger.Log(level, exception, "{Message}", messageFunc());
            return true;
        }
    }
}
