using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>Akka's in-memory journal, except that writes wait until the test opens the gate; counts the writes that wait.</summary>
public sealed class GatedJournal : MemoryJournal
{
    /// <summary>The HOCON that makes it the default journal.</summary>
    public const string Hocon = """
        akka.persistence.journal.plugin = "akka.persistence.journal.gated"
        akka.persistence.journal.gated.class = "InternetIdentity.Replica.Tests.Cluster.GatedJournal, Replica.Tests"
        akka.persistence.journal.gated.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """;

    private static TaskCompletionSource s_gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static int s_waiting;

    /// <summary>Released whenever a write is held (tests await it instead of polling).</summary>
    public static SemaphoreSlim Changed { get; } = new(0);

    /// <summary>Writes that arrived while the gate was closed.</summary>
    public static int Waiting => Volatile.Read(ref s_waiting);

    /// <summary>Closes the gate (the next journal created starts closed).</summary>
    public static void Close()
    {
        s_gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref s_waiting, 0);
    }

    /// <summary>Lets every waiting and later write through.</summary>
    public static void Open() => s_gate.TrySetResult();

    /// <inheritdoc/>
    protected override async Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        if (!s_gate.Task.IsCompleted)
        {
            Interlocked.Increment(ref s_waiting);
            Changed.Release();
        }

        await s_gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await base.WriteMessagesAsync(messages, cancellationToken).ConfigureAwait(false);
    }
}
