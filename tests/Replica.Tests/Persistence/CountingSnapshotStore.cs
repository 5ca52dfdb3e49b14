using Akka.Persistence;
using Akka.Persistence.Snapshot;

namespace InternetIdentity.Replica.Tests.Persistence;

/// <summary>Akka's in-memory snapshot store, counting the loads (each one reads a whole checkpoint).</summary>
public sealed class CountingSnapshotStore : MemorySnapshotStore
{
    /// <summary>The HOCON that makes it the default snapshot store.</summary>
    public const string Hocon = """
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.counting"
        akka.persistence.snapshot-store.counting.class = "InternetIdentity.Replica.Tests.Persistence.CountingSnapshotStore, Replica.Tests"
        akka.persistence.snapshot-store.counting.plugin-dispatcher = "akka.actor.default-dispatcher"
        """;

    private static int s_loads;

    /// <summary>Loads since the process started.</summary>
    public static int Loads => Volatile.Read(ref s_loads);

    /// <inheritdoc/>
    protected override Task<SelectedSnapshot> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref s_loads);
        return base.LoadAsync(persistenceId, criteria, cancellationToken);
    }
}
