using InternetIdentity.Replica.Persistence;

namespace InternetIdentity.Testing;

/// <summary>Where a <see cref="LocalNetwork"/> keeps its replicas' journals and checkpoints (in memory when none is given).</summary>
public sealed class LocalNetworkStorage
{
    private LocalNetworkStorage(ReplicaStorage storage) => Storage = storage;

    /// <summary>The replica storage it stands for.</summary>
    public ReplicaStorage Storage { get; }

    /// <summary>SQLite files (one per replica) under <paramref name="directory"/>.</summary>
    public static LocalNetworkStorage Sqlite(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return new LocalNetworkStorage(ReplicaStorage.Sqlite(directory));
    }

    /// <summary>A PostgreSQL database (an Npgsql connection string).</summary>
    public static LocalNetworkStorage PostgreSql(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new LocalNetworkStorage(ReplicaStorage.PostgreSql(connectionString));
    }

    /// <inheritdoc/>
    public override string ToString() => Storage.Describe();
}
