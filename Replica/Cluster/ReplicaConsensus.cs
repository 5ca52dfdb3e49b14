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
    /// The host's consensus parameters: the core's defaults, except for block making on one machine or a LAN. An idle
    /// block maker waits 300 ms before an empty block (an idle 4-replica subnet otherwise makes about 15 blocks a second
    /// and keeps two cores busy). Replicas notarize a rank-0 block as soon as they hold it (rank 0 is the only maker
    /// until a unit delay passes, and replicas here see its block within milliseconds). Fresh calls wait 10 ms so that a
    /// burst shares a block, and while the parent block's state is not certified yet (at most the idle delay), so that
    /// calls arriving while a block executes join the next one: every height costs each replica two threshold-signature
    /// checks, so with 32 synchronous clients this took the subnet from about 200 to over 500 updates a second.
    /// </summary>
    public static ConsensusConfig DefaultParameters { get; } = new()
    {
        IdleBlockDelayMs = 300,
        FirstHeightWithoutIdleDelay = true,
        InitialNotaryDelayMs = 0,
        IngressBatchDelayMs = 10,
        AwaitParentCertification = true,
    };

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
