using System.Formats.Cbor;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Replica.State;

/// <summary>
/// Builds the certified state tree of the interface spec from the replicated state: <c>/time</c>, <c>/canister</c>,
/// <c>/canister_ranges</c> (sharded), <c>/request_status</c> and <c>/subnet</c> (key, flat ranges, node keys). A pure
/// function of its inputs, so every replica with the same state gets the same root. <c>/request_status</c> has the
/// crit-bit fork shape (<see cref="LabeledTree.CritBitNode"/>): it holds every status of the ingress window and changes
/// at every height, and that shape lets a height rehash only the paths of the statuses added and forgotten.
/// </summary>
public static class StateTree
{
    /// <summary>The labeled state tree.</summary>
    public static LabeledTree Build(ulong timeNanos, SubnetTopology subnet, IEnumerable<CanisterStateView> canisters, IEnumerable<RequestStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        ArgumentNullException.ThrowIfNull(canisters);
        ArgumentNullException.ThrowIfNull(statuses);
        return Root(
            timeNanos,
            LabeledTree.Node(canisters.Select(c => new KeyValuePair<Label, LabeledTree>(c.Id, Canister(c)))),
            CanisterRanges(subnet),
            LabeledTree.CritBitNode(statuses.Select(s => new KeyValuePair<Label, LabeledTree>(s.Id.Bytes.ToArray(), s.Subtree))),
            Subnet(subnet));
    }

    /// <summary>The root over its five subtrees (what <see cref="Build"/> and <see cref="IncrementalStateTree"/> share).</summary>
    internal static LabeledTree Root(ulong timeNanos, LabeledTree canister, LabeledTree canisterRanges, LabeledTree requestStatus, LabeledTree subnet) =>
        LabeledTree.Node(
            ("time", LabeledTree.Leaf(Leb128.EncodeUnsigned(timeNanos))),
            ("canister", canister),
            ("canister_ranges", canisterRanges),
            ("request_status", requestStatus),
            ("subnet", subnet));

    /// <summary>The <c>/canister_ranges</c> subtree.</summary>
    internal static LabeledTree CanisterRanges(SubnetTopology subnet) => LabeledTree.Node((subnet.SubnetId, ShardedRanges(subnet)));

    /// <summary>The <c>/subnet</c> subtree: key, flat ranges and node keys.</summary>
    internal static LabeledTree Subnet(SubnetTopology subnet) =>
        LabeledTree.Node((subnet.SubnetId, LabeledTree.Node(
            ("public_key", LabeledTree.Leaf(subnet.PublicKeyDer)),
            ("canister_ranges", LabeledTree.Leaf(subnet.Ranges.Encode())),
            ("node", LabeledTree.Node(subnet.Nodes.Select(n => new KeyValuePair<Label, LabeledTree>(
                n.NodeId, LabeledTree.Node(("public_key", LabeledTree.Leaf(n.PublicKeyDer))))))))));

    // One shard per range, labeled by its lower bound (the replica keeps one leaf per shard; we have few ranges).
    private static LabeledTree ShardedRanges(SubnetTopology subnet) =>
        LabeledTree.Node(subnet.Ranges.Ranges.Select(r => new KeyValuePair<Label, LabeledTree>(
            r.Low, LabeledTree.Leaf(new Protocol.Certificates.CanisterRanges([r]).Encode()))));

    /// <summary>The <c>/canister/&lt;id&gt;</c> subtree of one canister.</summary>
    internal static LabeledTree Canister(CanisterStateView c)
    {
        var children = new List<(Label, LabeledTree)>
        {
            ("certified_data", LabeledTree.Leaf(c.CertifiedData)),
            ("controllers", LabeledTree.Leaf(EncodeControllers(c.Controllers))),
        };
        if (c.ModuleHash is not null)
        {
            children.Add(("module_hash", LabeledTree.Leaf(c.ModuleHash)));
        }

        if (c.Metadata.Count > 0)
        {
            children.Add(("metadata", LabeledTree.Node(c.Metadata.Select(m => new KeyValuePair<Label, LabeledTree>(m.Key, LabeledTree.Leaf(m.Value.Content.ToArray()))))));
        }

        return LabeledTree.Node(children.ToArray());
    }

    /// <summary>The <c>controllers</c> leaf: <c>tag55799 [* principal]</c>.</summary>
    public static byte[] EncodeControllers(IReadOnlyList<Principal> controllers)
    {
        ArgumentNullException.ThrowIfNull(controllers);
        CborWriter writer = IcCbor.CreateWriter();
        writer.WriteStartArray(controllers.Count);
        foreach (Principal p in controllers)
        {
            writer.WriteByteString(p.Bytes);
        }

        writer.WriteEndArray();
        return writer.Encode();
    }
}
