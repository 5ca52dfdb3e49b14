using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Genesis;

namespace InternetIdentity.Replica.State;

/// <summary>What the state tree publishes about the subnet: its id and key, its canister ranges and its nodes' keys.</summary>
/// <param name="SubnetId">The subnet id.</param>
/// <param name="PublicKeyDer">The subnet's 133-byte DER BLS key.</param>
/// <param name="Ranges">The canister ranges it hosts.</param>
/// <param name="Nodes">Each node's id and 44-byte DER Ed25519 key.</param>
public sealed record SubnetTopology(Principal SubnetId, byte[] PublicKeyDer, CanisterRanges Ranges, IReadOnlyList<(Principal NodeId, byte[] PublicKeyDer)> Nodes)
{
    /// <summary>The topology a genesis configuration describes.</summary>
    public static SubnetTopology From(GenesisConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config.SubnetId, config.RootKeyDer, GenesisConfig.CanisterRanges, [.. config.Nodes.Select(n => (n.NodeId, n.PublicKeyDer))]);
    }
}
