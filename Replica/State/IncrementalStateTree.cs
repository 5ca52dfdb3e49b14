using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Replica.State;

/// <summary>
/// Builds the same state tree as <see cref="StateTree.Build"/> (the same labeled tree, so the same root) from one
/// height to the next without starting over: the <c>/subnet</c> and <c>/canister_ranges</c> subtrees are built once
/// per topology, a canister's subtree only when what it shows changed, and <c>/request_status</c> is kept sorted and
/// updated with the statuses added and forgotten since the last build (only the changes are sorted and checked; each status keeps its hashed
/// subtree and its labeled digest); its crit-bit fork shape lets a height rehash only the paths of the statuses added and
/// forgotten (O(changes · log n) hashes). Not thread-safe (the replica serialises access to its state).
/// </summary>
public sealed class IncrementalStateTree
{
    private readonly Dictionary<Principal, (CanisterStateView View, LabeledTree Tree)> _canisters = [];
    private readonly Dictionary<RequestId, RequestStatus> _added = [];
    private readonly HashSet<RequestId> _removed = [];
    private LabeledTree? _statusNode;
    private SubnetTopology? _topology;
    private LabeledTree? _canisterRanges;
    private LabeledTree? _subnet;

    /// <summary>The number of request statuses the next build shows.</summary>
    public int StatusCount => (_statusNode?.ChildCount ?? 0) + _added.Count - _removed.Count;

    /// <summary>Adds a status (a request id not shown yet).</summary>
    /// <exception cref="ArgumentException">the request id is already shown.</exception>
    public void AddStatus(RequestStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (_added.ContainsKey(status.Id) || (Contains(status.Id) && !_removed.Contains(status.Id)))
        {
            throw new ArgumentException($"request {Convert.ToHexStringLower(status.Id.Bytes)} already has a status", nameof(status));
        }

        // A status forgotten and added again before a build stays in _removed, so the old one is dropped in the merge.
        _added.Add(status.Id, status);
    }

    /// <summary>Forgets a status; false if it is not shown.</summary>
    public bool RemoveStatus(RequestId id)
    {
        if (_added.Remove(id))
        {
            return true;
        }

        return Contains(id) && _removed.Add(id);
    }

    /// <summary>Replaces every status (after a state was restored, or to resynchronise).</summary>
    public void ResetStatuses(IEnumerable<RequestStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        _added.Clear();
        _removed.Clear();
        _statusNode = null;
        foreach (RequestStatus s in statuses)
        {
            AddStatus(s);
        }
    }

    /// <summary>The state tree at <paramref name="timeNanos"/> with these canisters and the statuses added so far.</summary>
    public LabeledTree Build(ulong timeNanos, SubnetTopology subnet, IEnumerable<CanisterStateView> canisters)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        ArgumentNullException.ThrowIfNull(canisters);
        if (!ReferenceEquals(subnet, _topology))
        {
            _topology = subnet;
            _canisterRanges = StateTree.CanisterRanges(subnet);
            _subnet = StateTree.Subnet(subnet);
        }

        return StateTree.Root(timeNanos, CanisterNode(canisters), _canisterRanges!, StatusNode(), _subnet!);
    }

    private LabeledTree CanisterNode(IEnumerable<CanisterStateView> canisters)
    {
        var children = new List<KeyValuePair<Label, LabeledTree>>();
        var seen = new HashSet<Principal>();
        foreach (CanisterStateView view in canisters)
        {
            if (!_canisters.TryGetValue(view.Id, out var cached) || !SameView(cached.View, view))
            {
                cached = (view, StateTree.Canister(view));
                _canisters[view.Id] = cached;
            }

            seen.Add(view.Id);
            children.Add(new(view.Id, cached.Tree));
        }

        foreach (Principal gone in _canisters.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            _canisters.Remove(gone);
        }

        return LabeledTree.Node(children);
    }

    // Whether a canister shows the same subtree as before. Metadata is compared by reference: canisters expose a fixed
    // dictionary of their module's sections (a new one rebuilds the subtree, which is only slower).
    private static bool SameView(CanisterStateView a, CanisterStateView b) =>
        a.CertifiedData.AsSpan().SequenceEqual(b.CertifiedData)
        && (a.ModuleHash is null ? b.ModuleHash is null : b.ModuleHash is not null && a.ModuleHash.AsSpan().SequenceEqual(b.ModuleHash))
        && a.Controllers.SequenceEqual(b.Controllers)
        && ReferenceEquals(a.Metadata, b.Metadata);

    private LabeledTree StatusNode()
    {
        if (_statusNode is not null && _added.Count == 0 && _removed.Count == 0)
        {
            return _statusNode;
        }

        // Only the changes are checked and rehashed; the kept statuses (with their hashed subtrees) are block-copied.
        _statusNode = LabeledTree.CritBitNodeWithChanges(_statusNode,
            [.. _removed.Select(id => new Label(id.Bytes.ToArray()))],
            [.. _added.Values.Select(s => new KeyValuePair<Label, LabeledTree>(new Label(s.Id.Bytes.ToArray()), s.Subtree))]);
        _added.Clear();
        _removed.Clear();
        return _statusNode;
    }

    private bool Contains(RequestId id) => _statusNode?.Child(new Label(id.Bytes.ToArray())) is not null;
}
