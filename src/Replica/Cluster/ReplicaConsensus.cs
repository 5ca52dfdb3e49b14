using System.Security.Cryptography;
using InternetIdentity.Consensus;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Persistence;

namespace InternetIdentity.Replica.Cluster;

/// <summary>A replica's consensus core built from its genesis configuration: its own keys, not a simulation seed.</summary>
public static class ReplicaConsensus
{
    /// <summary>
    /// The host's consensus parameters: the core's defaults, except that an idle block maker waits 300 ms before an
    /// empty block (an idle 4-replica subnet otherwise makes about 15 blocks a second and keeps two cores busy; ingress
    /// still goes into a block at once), and replicas notarize a rank-0 block 10 ms into the round rather than 50 ms
    /// (replicas on one machine or a LAN see it within milliseconds; this cut one-client latency from 122 to 72 ms).
    /// </summary>
    public static ConsensusConfig DefaultParameters { get; } = new() { IdleBlockDelayMs = 300, InitialNotaryDelayMs = 10, IngressBatchDelayMs = 5 };

    /// <summary>
    /// The core of the replica <paramref name="config"/> describes: Ed25519 node key and every peer's public key,
    /// shares of the beacon and certification keys; the genesis seed derives from the subnet's root key, so every
    /// replica of the subnet starts from the same genesis block. <paramref name="parameters"/> sets timing and limits
    /// (default <see cref="DefaultParameters"/>; the replica count and seed are always taken from genesis).
    /// </summary>
    public static ConsensusCore CreateCore(GenesisConfig config, ConsensusConfig? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        IConsensusCrypto crypto = RealCrypto.FromKeys(
            config.NodeIndex,
            config.NodeKey.Seed,
            [.. config.Nodes.Select(p => DerPublicKey.Parse(p.PublicKeyDer).Key)],
            config.Beacon.PublicKey,
            config.Beacon.Share,
            config.Certification.PublicKey,
            config.Certification.Share);
        ConsensusConfig consensus = (parameters ?? DefaultParameters) with
        {
            Replicas = config.Replicas,
            GenesisSeed = SHA256.HashData([.. "iinet-genesis-seed"u8, .. config.RootKeyDer]),
        };
        return new ConsensusCore(consensus, crypto);
    }

    /// <summary>The persistence id of a replica's consensus journal: <c>&lt;subnet id&gt;/&lt;index&gt;/consensus</c>.</summary>
    public static string PersistenceId(GenesisConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ReplicaStorage.PersistenceId(config.SubnetId.ToString(), config.NodeIndex, "consensus");
    }
}
