using Microsoft.Extensions.Logging;

namespace InternetIdentity.Cli;

/// <summary>What `iinet up` and `iinet node` show of their replicas' logs: warnings and errors, and replica milestones.</summary>
internal static class ReplicaLogging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(b => b
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        })
        .SetMinimumLevel(LogLevel.Warning)
        .AddFilter("replica", LogLevel.Information));
}
