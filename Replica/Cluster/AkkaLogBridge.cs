using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace InternetIdentity.Replica.Cluster;

/// <summary>The logger factory a replica ActorSystem's <see cref="AkkaLogBridge"/> writes to, and whether the replica is stopping.</summary>
/// <param name="Factory">Where Akka's log events go.</param>
public sealed class AkkaLoggingSetup(ILoggerFactory Factory) : Setup
{
    /// <summary>Where Akka's log events go.</summary>
    public ILoggerFactory Factory { get; } = Factory;

    /// <summary>Set while the replica stops: peers going away then is expected, not worth a warning.</summary>
    public bool Stopping { get; set; }
}

/// <summary>
/// Akka's logger for replica ActorSystems: log events go to Microsoft.Extensions.Logging (category <c>Akka.</c> and the
/// logging class), so the host decides what is shown; nothing is written to the console by Akka itself.
/// </summary>
public sealed class AkkaLogBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    /// <summary>Created by Akka from <c>akka.loggers</c>.</summary>
    public AkkaLogBridge()
    {
        AkkaLoggingSetup? setup = Context.System.Settings.Setup.Get<AkkaLoggingSetup>().GetOrElse(null!);
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            if (setup is null || setup.Stopping)
            {
                return;
            }

            setup.Factory.CreateLogger("Akka." + (e.LogClass?.Name ?? "System")).Log(Level(e.LogLevel()), e.Cause, "{Source}: {Message}", e.LogSource, e.Message);
        });
    }

    private static MsLogLevel Level(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => MsLogLevel.Debug,
        AkkaLogLevel.InfoLevel => MsLogLevel.Information,
        AkkaLogLevel.WarningLevel => MsLogLevel.Warning,
        _ => MsLogLevel.Error,
    };
}
