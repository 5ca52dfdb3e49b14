using System.Data.Common;
using LinqToDB.Interceptors;

namespace InternetIdentity.Replica.Persistence;

/// <summary>
/// SQLite's <c>synchronous = NORMAL</c> on every connection to a replica's database (<see href="https://sqlite.org/pragma.html#pragma_synchronous"/>).
/// The default, FULL, syncs the write-ahead log to the disk at every commit, and consensus commits its own votes to the
/// journal before sending them: four syncs per height on each replica's path from a call to its certificate. In WAL
/// mode NORMAL syncs only when the log is copied into the database, and a commit is still durable when the process
/// crashes or is killed (it is in the operating system's page cache); only a crash of the operating system or a power
/// loss can forget the last commits, after which the replica may vote again at a height it already voted on, one
/// faulty replica of the kind a subnet of 3f + 1 tolerates. 32 clients: 1,484-1,500 -> 1,763-1,777 updates/s with the
/// data directory where no sync costs anything (bench/README).
/// </summary>
internal static class SqliteSynchronous
{
    /// <summary>The statement that sets it (per connection: SQLite does not keep it in the file).</summary>
    public const string Pragma = "PRAGMA synchronous=NORMAL;";

    /// <summary>linq2db's hook for the journal's and snapshot store's connections (Akka.Persistence.Sql opens them).</summary>
    public static IInterceptor Interceptor { get; } = new OnOpened();

    /// <summary>Sets it on an open connection.</summary>
    public static void Apply(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using DbCommand command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    private sealed class OnOpened : ConnectionInterceptor
    {
        public override void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => Apply(connection);

        // SQLite runs a pragma synchronously whichever way it is called.
        public override Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
        {
            Apply(connection);
            return Task.CompletedTask;
        }
    }
}
