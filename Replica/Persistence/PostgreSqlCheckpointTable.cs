using System.Data;
using InternetIdentity.Replica.Cluster;
using Npgsql;

namespace InternetIdentity.Replica.Persistence;

/// <summary>
/// The checkpoint table in PostgreSQL: the state a <c>bytea</c> column, sent from the checkpoint's array and read into
/// one array of its size (Npgsql streams both ways; no serialized copy).
/// </summary>
internal sealed class PostgreSqlCheckpointTable(string connectionString) : CheckpointTable
{
    private int _created;

    public override async Task<long[]> HeightsAsync(string persistenceId, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand select = Command(db, $"SELECT height FROM {Name} WHERE persistence_id = @id ORDER BY height", persistenceId);
        await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var heights = new List<long>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            heights.Add(reader.GetInt64(0));
        }

        return [.. heights];
    }

    public override async Task SaveAsync(string persistenceId, long height, byte[] stateRoot, ReadOnlyMemory<byte> state, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand upsert = Command(
            db,
            $"INSERT INTO {Name} (persistence_id, height, state_root, state) VALUES (@id, @height, @root, @state) " +
            "ON CONFLICT (persistence_id, height) DO UPDATE SET state_root = EXCLUDED.state_root, state = EXCLUDED.state",
            persistenceId);
        upsert.Parameters.AddWithValue("height", height);
        upsert.Parameters.AddWithValue("root", stateRoot);
        upsert.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("state", state)); // bytea, written from the memory as it is
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task<Checkpoint?> LoadAsync(string persistenceId, long atMost, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand select = Command(
            db,
            $"SELECT height, state_root, state FROM {Name} WHERE persistence_id = @id AND height <= @atMost ORDER BY height DESC LIMIT 1",
            persistenceId);
        select.Parameters.AddWithValue("atMost", atMost);
        await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        long height = reader.GetInt64(0);
        byte[] root = await reader.GetFieldValueAsync<byte[]>(1, cancellationToken).ConfigureAwait(false);
        byte[] state = await reader.GetFieldValueAsync<byte[]>(2, cancellationToken).ConfigureAwait(false);
        return new Checkpoint(height, root, state);
    }

    public override async Task DeleteBelowAsync(string persistenceId, long height, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand delete = Command(db, $"DELETE FROM {Name} WHERE persistence_id = @id AND height < @height", persistenceId);
        delete.Parameters.AddWithValue("height", height);
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand Command(NpgsqlConnection db, string sql, string persistenceId)
    {
        NpgsqlCommand command = db.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0; // the store's size-based timeout cancels instead
        command.Parameters.AddWithValue("id", persistenceId);
        return command;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var db = new NpgsqlConnection(connectionString);
        try
        {
            await db.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _created) == 0)
            {
                await CreateAsync(db, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _created, 1);
            }

            return db;
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task CreateAsync(NpgsqlConnection db, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand create = db.CreateCommand();
        create.CommandText = $"CREATE TABLE IF NOT EXISTS {Name} (persistence_id TEXT NOT NULL, height BIGINT NOT NULL, " +
            "state_root BYTEA NOT NULL, state BYTEA NOT NULL, PRIMARY KEY (persistence_id, height))";
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Replicas sharing the database created it at the same moment: IF NOT EXISTS does not guard that race.
        }
    }
}
