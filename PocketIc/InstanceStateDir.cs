using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Persistence;

namespace InternetIdentity.PocketIc;

/// <summary>
/// An instance's <c>state_dir</c>: the subnet's keys (<c>genesis/node-i.json</c>), what the instance was created with
/// (<c>instance.json</c>: replicas, subnet kind, cycles charging) and the replicas' journals and checkpoints (SQLite files
/// under <c>state/</c>, as <c>iinet up --data-dir</c> keeps them). An instance created with a directory that holds a
/// subnet starts from it: the same keys and canisters, their state as of the last height its replicas persisted.
/// </summary>
public sealed class InstanceStateDir
{
    private const string SettingsFile = "instance.json";

    private InstanceStateDir(string path) => Path = path;

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>The replicas' storage: SQLite files under <c>state/</c>.</summary>
    public ReplicaStorage Storage => ReplicaStorage.Sqlite(System.IO.Path.Combine(Path, "state"));

    private string GenesisDir => System.IO.Path.Combine(Path, "genesis");

    /// <summary>
    /// Opens (creating it when missing) the directory <paramref name="path"/>; throws <see cref="PocketIcException"/> when it
    /// cannot be used (a file, no permission, an invalid path).
    /// </summary>
    public static InstanceStateDir Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            string full = System.IO.Path.GetFullPath(path);
            if (File.Exists(full))
            {
                throw PocketIcException.BadRequest($"state_dir {full} is a file, not a directory");
            }

            Directory.CreateDirectory(full);
            return new InstanceStateDir(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw PocketIcException.BadRequest($"state_dir {path} cannot be used: {e.Message}");
        }
    }

    /// <summary>
    /// The subnet kept here and the instance's settings as it was created (which win over <paramref name="asked"/>'s replica
    /// count, kind and charging: the journal was executed with them); a new subnet, written here, when there is none.
    /// Throws <see cref="PocketIcException"/> when the directory holds something else or cannot be written.
    /// </summary>
    public (IReadOnlyList<GenesisConfig> Genesis, InstanceConfig Config) LoadOrCreate(InstanceConfig asked)
    {
        ArgumentNullException.ThrowIfNull(asked);
        string settings = System.IO.Path.Combine(Path, SettingsFile);
        try
        {
            if (!File.Exists(settings))
            {
                IReadOnlyList<GenesisConfig> created = GenesisBuilder.Create(asked.Replicas, "127.0.0.1", 0);
                GenesisBuilder.Write(created, GenesisDir);
                var saved = new JsonObject { ["replicas"] = asked.Replicas, ["subnet_kind"] = asked.SubnetKind, ["charge_cycles"] = asked.ChargeCycles };
                File.WriteAllText(settings, saved.ToJsonString()); // last: a directory without it is started anew
                Prepare(asked.Replicas);
                return (created, asked);
            }

            using JsonDocument kept = JsonDocument.Parse(File.ReadAllText(settings));
            int replicas = kept.RootElement.GetProperty("replicas").GetInt32();
            var genesis = new List<GenesisConfig>();
            for (int i = 0; i < replicas; i++)
            {
                genesis.Add(GenesisConfig.Load(System.IO.Path.Combine(GenesisDir, GenesisBuilder.FileName(i))));
            }

            Prepare(replicas);
            return (genesis, asked with
            {
                Replicas = replicas,
                SubnetKind = kept.RootElement.GetProperty("subnet_kind").GetString()!,
                ChargeCycles = kept.RootElement.GetProperty("charge_cycles").GetBoolean(),
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException
            or FormatException or DbException or GenesisConfigException)
        {
            throw PocketIcException.BadRequest($"state_dir {Path} cannot be used: {e.Message}");
        }
    }

    // Opens every replica's database now, so that an unusable one is reported as such, not by whatever opened it first.
    private void Prepare(int replicas)
    {
        ReplicaStorage storage = Storage;
        for (int i = 0; i < replicas; i++)
        {
            storage.ConfigFor(i);
        }
    }
}
