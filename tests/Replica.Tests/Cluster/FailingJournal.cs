using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>Akka's in-memory journal, except that the next write fails once the test arms it (a database that blips).</summary>
public sealed class FailingJournal : MemoryJournal
{
    /// <summary>The HOCON that makes it the default journal.</summary>
    public const string Hocon = """
        akka.persistence.journal.plugin = "akka.persistence.journal.failing"
        akka.persistence.journal.failing.class = "InternetIdentity.Replica.Tests.Cluster.FailingJournal, Replica.Tests"
        akka.persistence.journal.failing.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private static int s_armed;

    /// <summary>Makes the next write fail.</summary>
    public static void FailNextWrite() => Volatile.Write(ref s_armed, 1);

    /// <inheritdoc/>
    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref s_armed, 0) == 1
            ? throw new InvalidOperationException("the test's journal failed this write")
            : base.WriteMessagesAsync(messages, cancellationToken);
}
