using Akka.Configuration;
using InternetIdentity.Replica.Cluster;

namespace InternetIdentity.Replica.Persistence;

/// <summary>
/// Checkpoints in a table of their own, <c>checkpoints</c>, next to the journal in the replica's SQL database: one row per
/// persistence id and height, the state root and the state as columns. Unlike the Akka snapshot store, the state goes in
/// and out as it is (no serialized copy) and a database can stream it (SQLite's incremental blob I/O), and the heights
/// can be listed without loading a checkpoint.
/// </summary>
internal abstract class CheckpointTable
{
    /// <summary>The table's name.</summary>
    public const string Name = "checkpoints";

    /// <summary>The table for the SQL snapshot store <paramref name="config"/> names (SQLite or PostgreSQL), or null for any other store.</summary>
    public static CheckpointTable? For(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.GetString("akka.persistence.snapshot-store.plugin") != "akka.persistence.snapshot-store.sql")
        {
            return null;
        }

        string connection = config.GetString("akka.persistence.snapshot-store.sql.connection-string");
        string provider = config.GetString("akka.persistence.snapshot-store.sql.provider-name") ?? "";
        return provider switch
        {
            "SQLite.MS" => new SqliteCheckpointTable(connection),
            _ when provider.StartsWith("PostgreSQL", StringComparison.Ordinal) => new PostgreSqlCheckpointTable(connection),
            _ => null,
        };
    }

    /// <summary>The heights stored under <paramref name="persistenceId"/>, oldest first.</summary>
    public abstract Task<long[]> HeightsAsync(string persistenceId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the checkpoint at <paramref name="height"/>, replacing one at the same height, in one transaction;
    /// <paramref name="state"/> is read only until the task completes (it may be a pooled buffer).
    /// </summary>
    public abstract Task SaveAsync(string persistenceId, long height, byte[] stateRoot, ReadOnlyMemory<byte> state, CancellationToken cancellationToken);

    /// <summary>The newest checkpoint at or below <paramref name="atMost"/>, or null.</summary>
    public abstract Task<Checkpoint?> LoadAsync(string persistenceId, long atMost, CancellationToken cancellationToken);

    /// <summary>Deletes the checkpoints below <paramref name="height"/>.</summary>
    public abstract Task DeleteBelowAsync(string persistenceId, long height, CancellationToken cancellationToken);
}
