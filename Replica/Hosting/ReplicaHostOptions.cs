using System.Net;
using Akka.Configuration;
using InternetIdentity.Consensus;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.State;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Replica.Hosting;

/// <summary>How to run one replica beyond what its genesis configuration says.</summary>
public sealed record ReplicaHostOptions
{
    /// <summary>The replica's canisters (a fresh set per replica).</summary>
    public required IReadOnlyList<InstalledCanister> Canisters { get; init; }

    /// <summary>The replica's clock (consensus and ingress expiry read it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The HTTP interface's address.</summary>
    public IPAddress HttpAddress { get; init; } = IPAddress.Loopback;

    /// <summary>The HTTP port; null takes the genesis configuration's (0 = any free port).</summary>
    public int? HttpPort { get; init; }

    /// <summary>The Akka port; null takes the genesis configuration's (0 = any free port).</summary>
    public int? AkkaPort { get; init; }

    /// <summary>
    /// Where the Akka transport listens when that is not the port peers know it by (<see cref="AkkaPort"/> or genesis's):
    /// a proxy in front forwards to it. Null: it listens on the known port.
    /// </summary>
    public int? AkkaBindPort { get; init; }

    /// <summary>Consensus timing and limits (replica count and genesis seed always come from genesis).</summary>
    public ConsensusConfig? Consensus { get; init; }

    /// <summary>Akka configuration layered over the replica's own, e.g. the journal and snapshot store.</summary>
    public Config? AkkaConfig { get; init; }

    /// <summary>
    /// Creates the replica's state sync (checkpoints and restoring the state of a catch-up package) once its
    /// ActorSystem is up and every replica's address is known; none: with <see cref="Storage"/>, checkpoints in that storage
    /// (fetched from peers when missing); without, a jump to a catch-up package stops the replica.
    /// </summary>
    public Func<ReplicaHost, IStateSync>? StateSync { get; init; }

    /// <summary>Where the journal and checkpoints persist; null keeps them in memory (gone with the process).</summary>
    public Persistence.ReplicaStorage? Storage { get; init; }

    /// <summary>Adds Akka's throttler transport adapter so that tests can cut links.</summary>
    public bool Throttling { get; init; }

    /// <summary>How long a synchronous call waits for its certificate before answering 202.</summary>
    public TimeSpan? SyncCallTimeout { get; init; }

    /// <summary>The test API the gateway serves under <c>/_/</c>; null: off (404 "the test API is off").</summary>
    public Gateway.TestApi? TestApi { get; init; }

    /// <summary>
    /// The subnet's gateway URLs by replica index, as <c>/_/replicas</c> lists them; null takes genesis's hosts and HTTP
    /// ports (a local subnet on free ports passes the ports its gateways got).
    /// </summary>
    public Func<IReadOnlyList<Uri>>? ReplicaUrls { get; init; }

    /// <summary>
    /// How often the consensus actor is started again after its journal failed (a write or the recovery), waiting
    /// <see cref="PersistenceRetryDelay"/>, doubled each time, before each; then the replica stops with the reason.
    /// </summary>
    public int PersistenceRetries { get; init; } = 3;

    /// <summary>The wait before the first restart after a journal failure.</summary>
    public TimeSpan PersistenceRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether the replica executes impersonated calls (PocketIC's API); every replica of a subnet must agree, so
    /// <see cref="LocalSubnet"/> sets it for all of them.
    /// </summary>
    public bool ImpersonationAllowed { get; init; }

    /// <summary>
    /// Whether hosted canisters pay the IC's fees for what they execute (off by default); every replica of a subnet must
    /// agree, so <see cref="LocalSubnet"/> sets it for all of them.
    /// </summary>
    public bool ChargeCycles { get; init; }

    /// <summary>
    /// How many heights the replica's certified height may lag what an honest peer reached before <c>/api/v2/status</c>
    /// says <c>certified_state_behind</c>; null: two catch-up intervals.
    /// </summary>
    public long? CertifiedBehindHeights { get; init; }

    /// <summary>
    /// How the replica misbehaves on purpose (<c>iinet node --byzantine</c>, tests of the honest replicas' bounds); None in
    /// any real deployment. Logged as a warning at start.
    /// </summary>
    public Cluster.ByzantineMode Byzantine { get; init; }

    /// <summary>Where the replica logs; none when null.</summary>
    public ILoggerFactory? Logging { get; init; }

    /// <summary>
    /// Request and broadcast-frame signatures found valid, shared by the replicas of one process (a local subnet) so a
    /// call or frame that reaches all of them is verified once; null: this replica keeps its own.
    /// </summary>
    public Execution.SignatureCache? Signatures { get; init; }
}
