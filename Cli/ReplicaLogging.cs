using Microsoft.Extensions.Logging;

namespace InternetIdentity.Cli;

/// <summary>What `iinet up` and `iinet node` show of their replicas' logs: warnings and errors, and replica milestones.</summary>
internal static class ReplicaLogging
{
    /// <summary>Environment variable that sets the replicas' log level (e.g. <c>Debug</c> for every protocol event).</summary>
    public const string LevelVariable = "IINET_LOG_LEVEL";

    public static ILoggerFactory Create() => Create(Environment.GetEnvironmentVariable(LevelVariable));

    /// <summary>Replicas log at <paramref name="level"/> (Information when null or not a level name); everything else at Warning.</summary>
    public static ILoggerFactory Create(string? level)
    {
        LogLevel replicaLevel = Enum.TryParse(level, ignoreCase: true, out LogLevel parsed) && Enum.IsDefined(parsed) ? parsed : LogLevel.Information;
        return LoggerFactory.Create(b => b
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            })
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("replica", replicaLevel));
    }
}
