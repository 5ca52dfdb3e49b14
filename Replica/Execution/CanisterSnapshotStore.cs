using System.Buffers.Binary;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Execution;

/// <summary>A canister snapshot the management canister keeps: the canister's whole state at a point, and when it was taken.</summary>
/// <param name="Id">The snapshot id: the subnet-wide local id (u64, big-endian) followed by the canister id's bytes, as the IC makes it.</param>
/// <param name="CanisterId">The canister whose state it holds.</param>
/// <param name="TakenAtNanos">The block time it was taken at.</param>
/// <param name="State">The canister's state (its <c>ICanisterSnapshots.Snapshot()</c>).</param>
public sealed record CanisterSnapshot(byte[] Id, Principal CanisterId, ulong TakenAtNanos, byte[] State);

/// <summary>
/// The canister snapshots of a subnet (replicated state: taken, loaded and deleted only by executed management calls, and
/// kept in checkpoints). At most <see cref="MaxPerCanister"/> per canister, as on the IC.
/// </summary>
public sealed class CanisterSnapshotStore
{
    /// <summary>The most snapshots a canister may have.</summary>
    public const int MaxPerCanister = 10;

    private readonly SortedDictionary<Principal, List<CanisterSnapshot>> _byCanister = new();

    /// <summary>The local id the next snapshot gets (ids are never reused).</summary>
    public ulong NextLocalId { get; private set; }

    /// <summary>Every snapshot, by canister then age.</summary>
    public IEnumerable<CanisterSnapshot> All => _byCanister.Values.SelectMany(s => s);

    /// <summary>A canister's snapshots, oldest first.</summary>
    public IReadOnlyList<CanisterSnapshot> Of(Principal canister) =>
        _byCanister.TryGetValue(canister, out List<CanisterSnapshot>? list) ? list : [];

    /// <summary>The canister's snapshot with this id, or null.</summary>
    public CanisterSnapshot? Find(Principal canister, ReadOnlySpan<byte> id)
    {
        foreach (CanisterSnapshot s in Of(canister))
        {
            if (s.Id.AsSpan().SequenceEqual(id))
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>Takes a new id and stores the snapshot under it (the caller checked the limit).</summary>
    public CanisterSnapshot Add(Principal canister, ulong takenAtNanos, byte[] state)
    {
        ArgumentNullException.ThrowIfNull(canister);
        ArgumentNullException.ThrowIfNull(state);
        if (Of(canister).Count >= MaxPerCanister)
        {
            throw new ArgumentException($"canister {canister} already has {MaxPerCanister} snapshots", nameof(canister));
        }

        byte[] id = new byte[8 + canister.Bytes.Length];
        BinaryPrimitives.WriteUInt64BigEndian(id, NextLocalId++);
        canister.Bytes.CopyTo(id.AsSpan(8));
        var snapshot = new CanisterSnapshot(id, canister, takenAtNanos, state);
        if (!_byCanister.TryGetValue(canister, out List<CanisterSnapshot>? list))
        {
            _byCanister.Add(canister, list = []);
        }

        list.Add(snapshot);
        return snapshot;
    }

    /// <summary>Removes a snapshot; false when the canister has none with that id.</summary>
    public bool Remove(Principal canister, ReadOnlySpan<byte> id)
    {
        if (Find(canister, id) is not { } found)
        {
            return false;
        }

        List<CanisterSnapshot> list = _byCanister[canister];
        list.Remove(found);
        if (list.Count == 0)
        {
            _byCanister.Remove(canister);
        }

        return true;
    }

    /// <summary>Replaces every snapshot and the id counter (restoring a checkpoint).</summary>
    /// <exception cref="ArgumentException">two snapshots share an id, a canister has too many, or an id is not below the counter.</exception>
    public void ResetTo(IEnumerable<CanisterSnapshot> snapshots, ulong nextLocalId)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var fresh = new SortedDictionary<Principal, List<CanisterSnapshot>>();
        var ids = new HashSet<string>();
        foreach (CanisterSnapshot s in snapshots)
        {
            if (s.Id.Length < 8 || BinaryPrimitives.ReadUInt64BigEndian(s.Id) >= nextLocalId || !s.Id.AsSpan(8).SequenceEqual(s.CanisterId.Bytes))
            {
                throw new ArgumentException($"snapshot {Convert.ToHexStringLower(s.Id)} is not an id of canister {s.CanisterId} below {nextLocalId}", nameof(snapshots));
            }

            if (!ids.Add(Convert.ToHexStringLower(s.Id)))
            {
                throw new ArgumentException($"snapshot {Convert.ToHexStringLower(s.Id)} appears twice", nameof(snapshots));
            }

            if (!fresh.TryGetValue(s.CanisterId, out List<CanisterSnapshot>? list))
            {
                fresh.Add(s.CanisterId, list = []);
            }

            if (list.Count == MaxPerCanister)
            {
                throw new ArgumentException($"canister {s.CanisterId} has more than {MaxPerCanister} snapshots", nameof(snapshots));
            }

            list.Add(s);
        }

        _byCanister.Clear();
        foreach ((Principal canister, List<CanisterSnapshot> list) in fresh)
        {
            _byCanister.Add(canister, list);
        }

        NextLocalId = nextLocalId;
    }
}
