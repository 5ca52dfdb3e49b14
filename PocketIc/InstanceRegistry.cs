using System.Collections.Concurrent;
using InternetIdentity.Replica.Genesis;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.PocketIc;

/// <summary>
/// The server's instances by id (0, 1, ... never reused): running ones, and a tombstone for each deleted one so that
/// calls to it say so. Genesis (the subnet's keys) is made once per replica count and shared by the instances, except an
/// instance with a <c>state_dir</c>, whose keys and state are in that directory (used by one running instance at a time).
/// </summary>
public sealed class InstanceRegistry(ILoggerFactory? logging = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, PocketIcInstance?> _instances = new();
    private readonly ConcurrentDictionary<int, Lazy<IReadOnlyList<GenesisConfig>>> _genesis = new();
    private readonly ConcurrentDictionary<string, int> _stateDirs = new(StringComparer.Ordinal);
    private int _nextId = -1;

    /// <summary>The states of every instance ever created, by id: <c>Available</c> or <c>Deleted</c>.</summary>
    public IReadOnlyList<string> States
    {
        get
        {
            int count = Volatile.Read(ref _nextId) + 1;
            return [.. Enumerable.Range(0, count).Select(i => _instances.TryGetValue(i, out PocketIcInstance? instance) && instance is not null ? "Available" : "Deleted")];
        }
    }

    /// <summary>The running instances.</summary>
    public IEnumerable<PocketIcInstance> Running => _instances.Values.OfType<PocketIcInstance>();

    /// <summary>Creates and starts an instance.</summary>
    public async Task<PocketIcInstance> CreateAsync(InstanceConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.StateDir is not null)
        {
            return await CreateWithStateAsync(config, InstanceStateDir.Open(config.StateDir), cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<GenesisConfig> genesis = _genesis.GetOrAdd(config.Replicas,
            n => new Lazy<IReadOnlyList<GenesisConfig>>(() => GenesisBuilder.Create(n, "127.0.0.1", 0))).Value;
        return await StartAsync(config, genesis, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PocketIcInstance> CreateWithStateAsync(InstanceConfig asked, InstanceStateDir dir, CancellationToken cancellationToken)
    {
        if (!_stateDirs.TryAdd(dir.Path, -1))
        {
            throw PocketIcException.BadRequest($"state_dir {dir.Path} is in use by instance {_stateDirs[dir.Path]}: delete it first");
        }

        try
        {
            (IReadOnlyList<GenesisConfig> genesis, InstanceConfig config) = dir.LoadOrCreate(asked);
            PocketIcInstance instance = await StartAsync(config, genesis, dir, cancellationToken).ConfigureAwait(false);
            _stateDirs[dir.Path] = instance.Id;
            return instance;
        }
        catch
        {
            _stateDirs.TryRemove(dir.Path, out _);
            throw;
        }
    }

    private async Task<PocketIcInstance> StartAsync(InstanceConfig config, IReadOnlyList<GenesisConfig> genesis, InstanceStateDir? dir, CancellationToken cancellationToken)
    {
        int id = Interlocked.Increment(ref _nextId);
        try
        {
            PocketIcInstance instance = await PocketIcInstance.StartAsync(id, config, genesis, logging, cancellationToken, dir?.Storage).ConfigureAwait(false);
            _instances[id] = instance;
            return instance;
        }
        catch
        {
            _instances[id] = null;
            throw;
        }
    }

    /// <summary>The running instance with an id (text from the URL); throws <see cref="PocketIcException"/> otherwise.</summary>
    public PocketIcInstance Get(string id)
    {
        int parsed = ParseId(id);
        if (!_instances.TryGetValue(parsed, out PocketIcInstance? instance))
        {
            throw PocketIcException.BadRequest("Instance not found");
        }

        return instance ?? throw PocketIcException.BadRequest("Instance was deleted");
    }

    /// <summary>Stops and forgets an instance; throws <see cref="PocketIcException"/> when there is none.</summary>
    public async Task DeleteAsync(string id)
    {
        PocketIcInstance instance = Get(id);
        if (_instances.TryUpdate(instance.Id, null, instance))
        {
            await instance.DisposeAsync().ConfigureAwait(false);
            Release(instance);
        }
    }

    // Its replicas stopped (their databases closed): a later instance may use its state_dir.
    private void Release(PocketIcInstance instance)
    {
        if (instance.Config.StateDir is not null)
        {
            foreach (KeyValuePair<string, int> used in _stateDirs.Where(d => d.Value == instance.Id))
            {
                _stateDirs.TryRemove(used);
            }
        }
    }

    /// <summary>Stops every instance.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (int id in _instances.Keys)
        {
            if (_instances.TryGetValue(id, out PocketIcInstance? instance) && instance is not null && _instances.TryUpdate(id, null, instance))
            {
                await instance.DisposeAsync().ConfigureAwait(false);
                Release(instance);
            }
        }
    }

    private static int ParseId(string id) =>
        int.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int parsed)
            ? parsed
            : throw new PocketIcException(400, $"Invalid URL: Cannot parse `{id}` to a `u64`", plainText: true);
}
