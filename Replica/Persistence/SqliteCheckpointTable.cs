using System.Data;
using InternetIdentity.Replica.Cluster;
using Microsoft.Data.Sqlite;

namespace InternetIdentity.Replica.Persistence;

/// <summary>
/// The checkpoint table in SQLite. The state is written into a <c>zeroblob</c> of its size and read back through
/// <see cref="SqliteBlob"/> in chunks of <see cref="ChunkBytes"/>: binding it as a parameter would make SQLite copy the
/// whole blob (a quarter of a gigabyte at a million anchors), and reading it as a column would too.
/// </summary>
internal sealed class SqliteCheckpointTable(string connectionString) : CheckpointTable
{
    /// <summary>How much of a state is copied at a time, and how often a save or load checks for cancellation.</summary>
    public const int ChunkBytes = 1 << 20;

    private int _created;

    public override Task<long[]> HeightsAsync(string persistenceId, CancellationToken cancellationToken) => Run(db =>
    {
        using SqliteCommand select = Command(db, $"SELECT height FROM {Name} WHERE persistence_id = $id ORDER BY height", persistenceId);
        using SqliteDataReader reader = select.ExecuteReader();
        var heights = new List<long>();
        while (reader.Read())
        {
            heights.Add(reader.GetInt64(0));
        }

        return heights.ToArray();
    }, cancellationToken);

    public override Task SaveAsync(string persistenceId, long height, byte[] stateRoot, ReadOnlyMemory<byte> state, CancellationToken cancellationToken) => Run(db =>
    {
        // Immediate: the write lock is taken before the blob is written, so the commit cannot fail as busy afterwards.
        using SqliteTransaction tx = db.BeginTransaction(deferred: false);
        using SqliteCommand insert = Command(
            db,
            $"DELETE FROM {Name} WHERE persistence_id = $id AND height = $height; " +
            $"INSERT INTO {Name} (persistence_id, height, state_root, state) VALUES ($id, $height, $root, zeroblob($length)); SELECT last_insert_rowid();",
            persistenceId);
        insert.Parameters.AddWithValue("$height", height);
        insert.Parameters.AddWithValue("$root", stateRoot);
        insert.Parameters.AddWithValue("$length", (long)state.Length);
        long rowid = (long)insert.ExecuteScalar()!;
        using (var blob = new SqliteBlob(db, Name, "state", rowid))
        {
            for (int offset = 0; offset < state.Length; offset += ChunkBytes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                blob.Write(state.Span.Slice(offset, Math.Min(ChunkBytes, state.Length - offset)));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        tx.Commit();
        return true;
    }, cancellationToken);

    public override Task<Checkpoint?> LoadAsync(string persistenceId, long atMost, CancellationToken cancellationToken) => Run(db =>
    {
        // One read transaction: the row cannot go between finding it and reading its blob.
        using SqliteTransaction tx = db.BeginTransaction(deferred: true);
        using SqliteCommand select = Command(
            db,
            $"SELECT rowid, height, state_root, length(state) FROM {Name} WHERE persistence_id = $id AND height <= $atMost ORDER BY height DESC LIMIT 1",
            persistenceId);
        select.Parameters.AddWithValue("$atMost", atMost);
        long rowid, height, length;
        byte[] root;
        using (SqliteDataReader reader = select.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            (rowid, height, root, length) = (reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2), reader.GetInt64(3));
        }

        byte[] state = GC.AllocateUninitializedArray<byte>(checked((int)length));
        using (var blob = new SqliteBlob(db, Name, "state", rowid, readOnly: true))
        {
            for (int offset = 0; offset < state.Length; offset += ChunkBytes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                blob.ReadExactly(state.AsSpan(offset, Math.Min(ChunkBytes, state.Length - offset)));
            }
        }

        tx.Commit();
        return new Checkpoint(height, root, state);
    }, cancellationToken);

    public override Task DeleteBelowAsync(string persistenceId, long height, CancellationToken cancellationToken) => Run(db =>
    {
        using SqliteCommand delete = Command(db, $"DELETE FROM {Name} WHERE persistence_id = $id AND height < $height", persistenceId);
        delete.Parameters.AddWithValue("$height", height);
        return delete.ExecuteNonQuery();
    }, cancellationToken);

    private static SqliteCommand Command(SqliteConnection db, string sql, string persistenceId)
    {
        SqliteCommand command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", persistenceId);
        return command;
    }

    // SqliteBlob has no asynchronous API: the work runs on the thread pool, off the caller's (an actor's) thread.
    private Task<T> Run<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken) => Task.Run(
        () =>
        {
            using var db = new SqliteConnection(connectionString);
            db.Open();
            SqliteSynchronous.Apply(db);
            if (Volatile.Read(ref _created) == 0)
            {
                using SqliteCommand create = db.CreateCommand();
                create.CommandText = $"CREATE TABLE IF NOT EXISTS {Name} (persistence_id TEXT NOT NULL, height INTEGER NOT NULL, " +
                    "state_root BLOB NOT NULL, state BLOB NOT NULL, PRIMARY KEY (persistence_id, height))";
                create.ExecuteNonQuery();
                Volatile.Write(ref _created, 1);
            }

            return work(db);
        },
        cancellationToken);
}
