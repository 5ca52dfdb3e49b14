using InternetIdentity.CanisterRuntime;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Execution;

/// <summary>What a hosted canister learns of its subnet: the subnet id, the root key and the subnet's canister id range.</summary>
/// <param name="SubnetId">The subnet's principal.</param>
/// <param name="RootKeyDer">The DER-encoded root public key (<c>ic0.root_key_copy</c>).</param>
/// <param name="Ranges">The canister ids the subnet hosts; new canisters get ids from here.</param>
public sealed record SubnetEnvironment(Principal SubnetId, byte[] RootKeyDer, CanisterRanges Ranges);

/// <summary>
/// The subnet's canisters (replicated state): the built-in ones it starts with and the ones created through the
/// management canister (<see cref="HostedCanister"/>), which run on the process's shared <see cref="CanisterEngine"/>.
/// New ids are allocated deterministically: the lowest free index of the subnet's range at or after the cursor, so
/// every replica gives the same id to the same call, and ids of deleted canisters are not given out again.
/// </summary>
public sealed class CanisterTable : IDisposable
{
    private readonly SortedDictionary<Principal, InstalledCanister> _canisters = new();
    private readonly HashSet<Principal> _builtIn = [];

    /// <summary>A table holding the built-in canisters.</summary>
    public CanisterTable(IEnumerable<InstalledCanister> builtIn, SubnetEnvironment subnet)
    {
        ArgumentNullException.ThrowIfNull(builtIn);
        Subnet = subnet ?? throw new ArgumentNullException(nameof(subnet));
        foreach (InstalledCanister c in builtIn)
        {
            if (c.Canister is HostedCanister)
            {
                throw new ArgumentException($"canister {c.Id}: a hosted canister is created through the table, not given to it", nameof(builtIn));
            }

            _canisters.Add(c.Id, c);
            _builtIn.Add(c.Id);
        }
    }

    /// <summary>The subnet the canisters run on.</summary>
    public SubnetEnvironment Subnet { get; }

    /// <summary>
    /// The Wasmtime engine: <see cref="CanisterEngine.Shared"/>, so the replicas of one process compile a module once
    /// (a compiled module is a pure function of its bytes; each canister still has its own store and memory).
    /// </summary>
    public CanisterEngine Engine => CanisterEngine.Shared;

    /// <summary>Every canister, by id.</summary>
    public IEnumerable<InstalledCanister> All => _canisters.Values;

    /// <summary>The canisters created through the management canister, by id.</summary>
    public IEnumerable<InstalledCanister> Hosted => _canisters.Values.Where(c => c.Canister is HostedCanister);

    /// <summary>The index at which the next id search starts.</summary>
    public ulong NextIndex { get; private set; }

    /// <summary>The canister with this id, or null.</summary>
    public InstalledCanister? Find(Principal id) => _canisters.GetValueOrDefault(id);

    /// <summary>Whether the canister is one of the subnet's built-in canisters.</summary>
    public bool IsBuiltIn(Principal id) => _builtIn.Contains(id);

    /// <summary>The next free id of the subnet's range (and moves the cursor past it), or null when the range is used up.</summary>
    public Principal? Allocate()
    {
        for (ulong i = NextIndex; ; i++)
        {
            Principal id = Principal.CanisterId(i);
            if (!Subnet.Ranges.Contains(id))
            {
                return null;
            }

            if (!_canisters.ContainsKey(id))
            {
                NextIndex = i + 1;
                return id;
            }
        }
    }

    /// <summary>Creates an empty hosted canister with this id.</summary>
    /// <exception cref="ArgumentException">the id is in use.</exception>
    public HostedCanister Create(Principal id, IReadOnlyList<Principal> controllers, UInt128 cycles)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(controllers);
        if (_canisters.ContainsKey(id))
        {
            throw new ArgumentException($"canister {id} exists already", nameof(id));
        }

        var hosted = new HostedCanister(Engine, EnvironmentOf(id), controllers, cycles);
        _canisters.Add(id, new InstalledCanister(id, hosted, controllers));
        return hosted;
    }

    /// <summary>Replaces the controllers of a canister.</summary>
    public void SetControllers(Principal id, IReadOnlyList<Principal> controllers)
    {
        ArgumentNullException.ThrowIfNull(controllers);
        InstalledCanister c = _canisters[id];
        if (c.Canister is HostedCanister hosted)
        {
            hosted.Controllers = controllers;
        }

        _canisters[id] = c with { Controllers = controllers };
    }

    /// <summary>Deletes a hosted canister; false for a built-in or unknown one.</summary>
    public bool Remove(Principal id)
    {
        if (_builtIn.Contains(id) || !_canisters.Remove(id, out InstalledCanister? c))
        {
            return false;
        }

        ((HostedCanister)c.Canister).Dispose();
        return true;
    }

    /// <summary>
    /// Replaces the hosted canisters and the id cursor with a checkpoint's; all or nothing.
    /// </summary>
    /// <exception cref="FormatException">a canister's bytes are refused, or an id is a built-in canister's.</exception>
    internal void ResetHosted(IReadOnlyList<(Principal Id, IReadOnlyList<Principal> Controllers, byte[] State)> hosted, ulong nextIndex)
    {
        var created = new List<InstalledCanister>();
        try
        {
            foreach ((Principal id, IReadOnlyList<Principal> controllers, byte[] state) in hosted)
            {
                if (_builtIn.Contains(id))
                {
                    throw new FormatException($"the checkpoint's hosted canister {id} is a built-in canister of this replica");
                }

                var c = new HostedCanister(Engine, EnvironmentOf(id), controllers, 0);
                created.Add(new InstalledCanister(id, c, controllers));
                c.Restore(state);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (InstalledCanister c in created)
            {
                ((HostedCanister)c.Canister).Dispose();
            }

            throw e as FormatException ?? new FormatException($"a hosted canister in the checkpoint was refused: {e.Message}", e);
        }

        foreach (InstalledCanister old in Hosted.ToList())
        {
            _canisters.Remove(old.Id);
            ((HostedCanister)old.Canister).Dispose();
        }

        foreach (InstalledCanister c in created)
        {
            _canisters.Add(c.Id, c);
        }

        NextIndex = nextIndex;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (InstalledCanister c in Hosted)
        {
            ((HostedCanister)c.Canister).Dispose();
        }
    }

    private CanisterEnvironment EnvironmentOf(Principal id) =>
        new() { CanisterId = id.ToArray(), SubnetId = Subnet.SubnetId.ToArray(), RootKey = Subnet.RootKeyDer };
}
