using System.CommandLine;
using InternetIdentity.Replica.Persistence;

namespace InternetIdentity.Cli;

/// <summary>Where `up` and `node` keep replica state: SQLite files under a directory, or a PostgreSQL database.</summary>
internal static class StorageOptions
{
    public static Option<string?> Postgres() => new("--postgres")
    {
        Description = "keep the replicas' journals and checkpoints in this PostgreSQL database (Npgsql connection string) instead of SQLite files",
    };

    /// <summary>SQLite files under <paramref name="stateDir"/>, or the PostgreSQL database when a connection string is given.</summary>
    /// <exception cref="CliInputException">the connection string is not one.</exception>
    public static ReplicaStorage Storage(string stateDir, string? postgres)
    {
        if (postgres is null)
        {
            return ReplicaStorage.Sqlite(stateDir);
        }

        try
        {
            return ReplicaStorage.PostgreSql(postgres);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException("--postgres: " + e.Message);
        }
    }

    /// <summary>Runs a storage operation, turning a database that cannot be used into a clear input error.</summary>
    public static T Use<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Npgsql.NpgsqlException e)
        {
            throw new CliInputException($"--postgres: cannot use the database: {e.Message}");
        }
    }

    /// <summary>
    /// Opens replica <paramref name="nodeIndex"/>'s database before anything else starts, so that an unusable data
    /// directory or database is reported as such, not as a failure of whatever opened it first.
    /// </summary>
    /// <exception cref="CliInputException">the database cannot be created or opened.</exception>
    public static void Prepare(ReplicaStorage storage, int nodeIndex)
    {
        try
        {
            Use(() => storage.ConfigFor(nodeIndex));
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"--data-dir: cannot use {storage.Describe()}: {e.Message}");
        }
    }
}
