using Microsoft.Extensions.Logging;

namespace InternetIdentity.Cli.Tests;

public class ReplicaLoggingTests
{
    [TestCase(null, false)]
    [TestCase("", false)]
    [TestCase("Debug", true)]
    [TestCase("debug", true)]
    [TestCase("Trace", true)]
    [TestCase("loud", false)]
    [TestCase("42", false)]
    public void Create_LevelVariable_ReplicaDebugEventsOnlyWhenAsked(string? level, bool debug)
    {
        using ILoggerFactory factory = ReplicaLogging.Create(level);
        ILogger consensus = factory.CreateLogger("replica-0.consensus");
        Assert.That(consensus.IsEnabled(LogLevel.Debug), Is.EqualTo(debug));
        Assert.That(consensus.IsEnabled(LogLevel.Warning), Is.True);
        Assert.That(factory.CreateLogger("Akka.Remote").IsEnabled(LogLevel.Information), Is.False, "other categories stay at warnings");
    }

    [Test]
    public void Create_Warning_HidesReplicaMilestones()
    {
        using ILoggerFactory factory = ReplicaLogging.Create("Warning");
        Assert.That(factory.CreateLogger("replica-1").IsEnabled(LogLevel.Information), Is.False);
    }
}
