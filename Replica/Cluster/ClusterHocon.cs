using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using InternetIdentity.Replica.Wire;

namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// The Akka configuration of one replica's ActorSystem: cluster provider, DotNetty TCP remoting on the replica's host
/// and Akka port with frames large enough for blocks, seed nodes from the genesis configuration, no split-brain
/// resolver (the consensus protocol tolerates f faulty replicas; Akka must never down one), replica messages carried by
/// <see cref="ReplicaSerializer"/>, and the in-memory journal unless a persistence configuration is layered on top.
/// </summary>
public static class ClusterHocon
{
    /// <summary>Every replica's ActorSystem has this name, so actor paths differ only in host and port.</summary>
    public const string SystemName = "subnet";

    /// <summary>Largest remoting frame: a 4 MiB block payload plus its encoding and headers.</summary>
    public const int MaximumFrameBytes = 8 * 1024 * 1024;

    /// <summary>
    /// The configuration for a replica listening on <paramref name="host"/>:<paramref name="port"/> (0 = any free
    /// port) that joins the cluster through <paramref name="seedNodes"/> (empty: the caller joins explicitly).
    /// <paramref name="throttling"/> adds Akka's throttler transport adapter, through which tests cut links.
    /// <paramref name="bindPort"/>, when given, is where the socket listens while <paramref name="port"/> stays the
    /// address peers know (Akka's public-port: a proxy or port forward between them, as `iinet chaos` puts in front).
    /// </summary>
    public static Config Build(string host, int port, IEnumerable<Address> seedNodes, bool throttling = false, int? bindPort = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentNullException.ThrowIfNull(seedNodes);
        if (bindPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(bindPort), bindPort, "a port number");
        }

        string ports = bindPort is int bind
            ? $"port = {bind.ToString(CultureInfo.InvariantCulture)}\n      public-port = {port.ToString(CultureInfo.InvariantCulture)}"
            : $"port = {port.ToString(CultureInfo.InvariantCulture)}";
        string seeds = string.Join(", ", seedNodes.Select(a => Quote(a.ToString())));
        string frame = MaximumFrameBytes.ToString(CultureInfo.InvariantCulture) + "b";
        string buffers = (2 * MaximumFrameBytes).ToString(CultureInfo.InvariantCulture) + "b";
        string hocon = $$"""
            akka {
              # Akka logs through the replica's ILoggerFactory (AkkaLogBridge), never to the console itself.
              loggers = ["InternetIdentity.Replica.Cluster.AkkaLogBridge, InternetIdentity.Replica"]
              loglevel = WARNING
              stdout-loglevel = OFF
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor.provider = cluster
              remote {
                log-remote-lifecycle-events = off
                # After a failed association Akka drops every message to that address for this long (default 5 s): a
                # restarted replica then missed its peers' answers to its catch-up requests for up to 5 s. Reconnecting
                # to a replica that is down costs a refused TCP connect.
                retry-gate-closed-for = 500ms
                dot-netty.tcp {
                  hostname = {{Quote(host)}}
                  {{ports}}
                  maximum-frame-size = {{frame}}
                  send-buffer-size = {{buffers}}
                  receive-buffer-size = {{buffers}}
                  # Consensus sends a few small messages per round and waits for them: latency beats batching.
                  batching.enabled = false
                  {{(throttling ? "applied-adapters = [trttl]" : "")}}
                }
              }
              cluster {
                seed-nodes = [{{seeds}}]
                downing-provider-class = ""
                log-info = off
              }
              persistence {
                journal.plugin = "akka.persistence.journal.inmem"
                snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
              }
              coordinated-shutdown.run-by-clr-shutdown-hook = off
            }
            """;
        return ConfigurationFactory.ParseString(hocon).WithFallback(ConfigurationFactory.ParseString(ReplicaSerializer.Hocon));
    }

    /// <summary>The address of a replica's ActorSystem at a host and port.</summary>
    public static Address AddressOf(string host, int port) => new("akka.tcp", SystemName, host, port);

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
