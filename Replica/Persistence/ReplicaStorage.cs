using Akka.Configuration;
using LinqToDB;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace InternetIdentity.Replica.Persistence;

/// <summary>
/// Where a replica's journal and snapshot store live (Akka.Persistence.Sql). SQLite: one database file per replica
/// under the data directory, in WAL mode so that the journal and the snapshot store do not block each other, opened
/// through SQLite's "unix-excl" VFS on Unix (the WAL index in the heap, no memory-mapped -shm file; other processes locked out).
/// PostgreSQL: every replica of every subnet shares one database; they are kept apart by their persistence ids,
/// which start with the subnet id and the replica index (see <see cref="PersistenceId"/>), so a replica never reads
/// another's rows and a reset removes exactly one subnet's rows.
/// </summary>
public abstract class ReplicaStorage
{
    private ReplicaStorage()
    {
    }

    /// <summary>SQLite files under <paramref name="dataDirectory"/> (created when missing).</summary>
    /// <exception cref="ArgumentException">the directory is empty.</exception>
    public static ReplicaStorage Sqlite(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        return new SqliteStorage(Path.GetFullPath(dataDirectory));
    }

    /// <summary>A PostgreSQL database given by an Npgsql connection string.</summary>
    /// <exception cref="ArgumentException">the connection string is empty or not a valid Npgsql connection string.</exception>
    public static ReplicaStorage PostgreSql(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"not a PostgreSQL connection string: {e.Message}", nameof(connectionString), e);
        }

        return new PostgreSqlStorage(connectionString);
    }

    /// <summary>One line for logs and the CLI (never shows a password).</summary>
    public abstract string Describe();

    /// <summary>
    /// The persistence id of one of a replica's persistent actors: <c>&lt;subnet id&gt;/&lt;index&gt;/&lt;role&gt;</c>,
    /// e.g. <c>...-aae/2/consensus</c>.
    /// </summary>
    /// <exception cref="ArgumentException">an empty subnet id or role, or a negative index.</exception>
    public static string PersistenceId(string subnetId, int nodeIndex, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subnetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentOutOfRangeException.ThrowIfNegative(nodeIndex);
        return $"{subnetId}/{nodeIndex}/{role}";
    }

    /// <summary>
    /// The Akka configuration of replica <paramref name="nodeIndex"/>'s journal and snapshot store (with the replica
    /// serializer bound and the plugin's defaults as fallback). Prepares the database first (SQLite: creates the file and switches it to WAL).
    /// </summary>
    public Config ConfigFor(int nodeIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeIndex);
        (string connection, string provider, bool tablesExist) = Prepare(nodeIndex);
        string c = Quote(connection);
        string p = Quote(provider);
        // Creating the tables through the plugin costs about a second of CPU per replica at start (linq2db builds the
        // DDL); a database that has them already skips it.
        string autoInitialize = tablesExist ? "off" : "on";
        string hocon = $$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  connection-string = {{c}}
                  provider-name = {{p}}
                  auto-initialize = {{autoInitialize}}
                  warn-on-auto-init-fail = on
                  # Several rows at once go in as one INSERT with their payloads bound as parameters: by default linq2db
                  # writes each payload into the statement's text as a hex literal, which the database then parses back.
                  prefer-parameters-on-multirow-insert = on
                }
              }
              query.journal.sql {
                class = "Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql"
                write-plugin = "akka.persistence.journal.sql"
                connection-string = {{c}}
                provider-name = {{p}}
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  connection-string = {{c}}
                  provider-name = {{p}}
                  auto-initialize = {{autoInitialize}}
                }
              }
            }
            """;
        // The journal stores replica messages through ReplicaSerializer's stable manifests, never a reflection serializer.
        return ConfigurationFactory.ParseString(hocon)
            .WithFallback(ConfigurationFactory.ParseString(Wire.ReplicaSerializer.Hocon))
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    }

    /// <summary>
    /// What an actor system whose configuration is <paramref name="akka"/> (<see cref="ConfigFor"/>, with any override)
    /// needs besides it: the SQLite journal's, query journal's and snapshot store's connections made with
    /// <see cref="SqliteSynchronous"/>, each to the database its configuration names; null when none is SQLite.
    /// </summary>
    public static Akka.Actor.Setup.Setup? SetupFor(Config akka)
    {
        ArgumentNullException.ThrowIfNull(akka);
        var setup = new Akka.Persistence.Sql.Config.MultiDataOptionsSetup();
        bool any = false;
        foreach (string plugin in (string[])[JournalPlugin, QueryJournalPlugin, SnapshotStorePlugin])
        {
            if (akka.GetString($"{plugin}.provider-name", "") == SqliteProvider && akka.GetString($"{plugin}.connection-string", "") is { Length: > 0 } connection)
            {
                setup.AddDataOptions(plugin, new DataOptions().UseConnectionString(SqliteProvider, connection).UseInterceptor(SqliteSynchronous.Interceptor));
                any = true;
            }
        }

        return any ? setup : null;
    }

    /// <summary>The configuration paths of the journal, query journal and snapshot store plugins (<see cref="ConfigFor"/>).</summary>
    private const string JournalPlugin = "akka.persistence.journal.sql";

    private const string QueryJournalPlugin = "akka.persistence.query.journal.sql";

    private const string SnapshotStorePlugin = "akka.persistence.snapshot-store.sql";

    private const string SqliteProvider = "SQLite.MS";

    /// <summary>Forgets everything replicas 0..<paramref name="replicas"/>-1 of the subnet persisted (for <c>--reset</c>).</summary>
    public void Reset(string subnetId, int replicas)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subnetId);
        for (int i = 0; i < replicas; i++)
        {
            ResetReplica(subnetId, i);
        }
    }

    /// <summary>Forgets everything replica <paramref name="nodeIndex"/> of the subnet persisted.</summary>
    public abstract void ResetReplica(string subnetId, int nodeIndex);

    /// <summary>
    /// The connection string and linq2db provider name for one replica, after preparing its database, and whether the
    /// plugin's tables (journal, snapshot, tags) are there already.
    /// </summary>
    private protected abstract (string Connection, string Provider, bool TablesExist) Prepare(int nodeIndex);

    /// <summary>The tables Akka.Persistence.Sql creates (its default table names).</summary>
    private const string PluginTables = "'journal', 'snapshot', 'tags'";

    // A HOCON quoted string: backslashes and quotes escaped, so paths and passwords pass through unchanged.
    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private sealed class SqliteStorage(string directory) : ReplicaStorage
    {
        public string FileOf(int nodeIndex) => Path.Combine(directory, $"replica-{nodeIndex}.db");

        // On Unix the "unix-excl" VFS keeps the WAL index in the heap instead of a memory-mapped -shm file: a -shm file
        // that cannot be written (read-only, a full or failing disk) is then a write error SQLite reports, not a SIGBUS
        // that kills the process. It also locks the file against other processes, and only one replica may use it.
        public string DataSourceOf(int nodeIndex) => OperatingSystem.IsWindows()
            ? FileOf(nodeIndex)
            : new Uri(FileOf(nodeIndex)).AbsoluteUri + "?vfs=unix-excl";

        public override string Describe() => $"SQLite files in {directory}";

        public override void ResetReplica(string subnetId, int nodeIndex)
        {
            SqliteConnection.ClearAllPools();
            foreach (string suffix in (string[])["", "-wal", "-shm"])
            {
                File.Delete(FileOf(nodeIndex) + suffix);
            }
        }

        private protected override (string, string, bool) Prepare(int nodeIndex)
        {
            Directory.CreateDirectory(directory);
            string connection = new SqliteConnectionStringBuilder { DataSource = DataSourceOf(nodeIndex), Pooling = true }.ToString();
            using var db = new SqliteConnection(connection);
            db.Open();
            using SqliteCommand wal = db.CreateCommand();
            // WAL is a property of the file: set once, it stays. Readers then never block the single writer.
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            string? mode = wal.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{FileOf(nodeIndex)}: SQLite refused WAL mode (journal_mode is {mode})");
            }

            using SqliteCommand tables = db.CreateCommand();
            tables.CommandText = $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({PluginTables});";
            return (connection, SqliteProvider, Convert.ToInt64(tables.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 3);
        }
    }

    private sealed class PostgreSqlStorage(string connectionString) : ReplicaStorage
    {
        public override string Describe()
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL database {b.Database} on {b.Host}:{b.Port} as {b.Username}";
        }

        public override void ResetReplica(string subnetId, int nodeIndex)
        {
            using var db = new NpgsqlConnection(connectionString);
            db.Open();
            foreach (string table in (string[])["tags", "journal", "snapshot", CheckpointTable.Name])
            {
                using NpgsqlCommand delete = db.CreateCommand();
                delete.CommandText = $"DELETE FROM {table} WHERE persistence_id LIKE @prefix";
                string prefix = PersistenceId(subnetId, nodeIndex, "x")[..^1];
                delete.Parameters.AddWithValue("prefix", prefix.Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
                try
                {
                    delete.ExecuteNonQuery();
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
                {
                    // Nothing was ever persisted there.
                }
            }
        }

        private protected override (string, string, bool) Prepare(int nodeIndex)
        {
            // Fail here, with the database's own reason, rather than later inside the journal plugin's retries.
            using var db = new NpgsqlConnection(connectionString);
            db.Open();
            using NpgsqlCommand tables = db.CreateCommand();
            tables.CommandText = $"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ({PluginTables})";
            return (connectionString, "PostgreSQL15", Convert.ToInt64(tables.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 3);
        }
    }
}
