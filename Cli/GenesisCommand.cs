using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Genesis.Dkg;

namespace InternetIdentity.Cli;

/// <summary>`iinet genesis`: creates a subnet's keys and writes one configuration file per replica.</summary>
internal static class GenesisCommand
{
    public static Command Create()
    {
        var replicas = new Option<int>("--replicas") { Description = "number of replicas n (n = 3f+1 tolerates f faults)", Required = true };
        var output = new Option<string>("--out") { Description = "directory for node-<i>.json (created if missing)", Required = true };
        var basePort = new Option<int>("--base-port")
        {
            Description = "replica i serves HTTP on P+i and Akka on P+n+i", DefaultValueFactory = _ => 4943,
        };
        var host = new Option<string>("--host") { Description = "host name or address of every replica", DefaultValueFactory = _ => "127.0.0.1" };
        var dkg = new Option<bool>("--dkg")
        {
            Description = "multi-machine genesis without a trusted dealer: run with --index and --peers on every replica's machine; " +
                "the replicas deal the keys jointly (joint-Feldman DKG over TCP) and each writes only its own node-<i>.json",
        };
        var index = new Option<int?>("--index") { Description = "with --dkg: this replica's index, its position in --peers" };
        var peers = new Option<string?>("--peers")
        {
            Description = "with --dkg: every replica's host:port for the key generation, in index order, the same list on every machine " +
                "(replica i then serves HTTP on that host at --base-port + i and Akka at --base-port + n + i)",
        };
        var timeout = new Option<int>("--timeout") { Description = "with --dkg: seconds to wait for every peer", DefaultValueFactory = _ => 600 };
        var cmd = new Command("genesis", "create a subnet: node keys, threshold key shares from a verifiable dealing (or a DKG), peers; one JSON file per replica")
        {
            replicas, output, basePort, host, dkg, index, peers, timeout,
        };
        cmd.SetAction((r, ct) =>
        {
            if (r.GetValue(dkg))
            {
                return DkgAsync(r.GetValue(replicas), r.GetValue(index), r.GetValue(peers), r.GetValue(output)!, r.GetValue(basePort),
                    r.GetValue(timeout), r.InvocationConfiguration.Output, ct);
            }

            int n = r.GetValue(replicas);
            int port = r.GetValue(basePort);
            if (n is < 1 or > 100)
            {
                throw new CliInputException($"--replicas: {n} is not between 1 and 100");
            }

            if (port < 1 || port + 2 * n - 1 > 65535)
            {
                throw new CliInputException($"--base-port: ports {port}..{port + 2 * n - 1} are not all valid port numbers");
            }

            string dir = r.GetValue(output)!;
            if (File.Exists(dir))
            {
                throw new CliInputException($"--out: {dir} is a file, not a directory");
            }

            IReadOnlyList<GenesisConfig> configs = GenesisBuilder.Create(n, r.GetValue(host)!, port);
            IReadOnlyList<string> paths = GenesisBuilder.Write(configs, dir);
            TextWriter o = r.InvocationConfiguration.Output;
            o.WriteLine("subnet_id " + configs[0].SubnetId);
            o.WriteLine("root_key " + Convert.ToHexStringLower(configs[0].RootKeyDer));
            foreach (GenesisConfig c in configs)
            {
                o.WriteLine($"node {c.NodeIndex} {c.Self.NodeId} http {c.Self.Host}:{c.Self.HttpPort} akka {c.Self.Host}:{c.Self.AkkaPort} {paths[c.NodeIndex]}");
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return cmd;
    }

    private static async Task<int> DkgAsync(int n, int? index, string? peerList, string dir, int basePort, int timeoutSeconds, TextWriter o,
        CancellationToken ct)
    {
        if (peerList is null)
        {
            throw new CliInputException("--peers: --dkg needs every replica's host:port, in index order");
        }

        DnsEndPoint[] peers = [.. peerList.Split(',', StringSplitOptions.TrimEntries).Select(ParsePeer)];
        if (peers.Length != n)
        {
            throw new CliInputException($"--peers: {peers.Length} peers for --replicas {n}");
        }

        if (index is not int me || me < 0 || me >= n)
        {
            throw new CliInputException($"--index: --dkg needs this replica's index between 0 and {n - 1}");
        }

        if (basePort < 1 || basePort + 2 * n - 1 > 65535)
        {
            throw new CliInputException($"--base-port: ports {basePort}..{basePort + 2 * n - 1} are not all valid port numbers");
        }

        if (File.Exists(dir))
        {
            throw new CliInputException($"--out: {dir} is a file, not a directory");
        }

        if (timeoutSeconds < 1)
        {
            throw new CliInputException($"--timeout: {timeoutSeconds} is not a positive number of seconds");
        }

        o.WriteLine($"replica {me} of {n}: key generation with {string.Join(", ", peers.Select(p => $"{p.Host}:{p.Port}"))} ...");
        o.Flush();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        DkgOutcome outcome;
        try
        {
            outcome = await NetworkDkg.RunAsync(new DkgOptions(me, peers, basePort, RandomNumberGenerator.Fill), timeout.Token).ConfigureAwait(false);
        }
        catch (DkgException e)
        {
            throw new CliInputException("--dkg: " + e.Message);
        }
        catch (SocketException e)
        {
            throw new CliInputException($"--peers: cannot listen on port {peers[me].Port}: {e.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliInputException($"--timeout: not every peer took part within {timeoutSeconds} s");
        }

        GenesisConfig config = outcome.Config;
        string path = GenesisBuilder.Write([config], dir)[0];
        o.WriteLine("qualified dealers " + string.Join(", ", outcome.Qualified) + (outcome.Complaints.Count == 0 ? ""
            : "; complaints: " + string.Join(", ", outcome.Complaints.Select(c => $"replica {c.By} about replica {c.About}"))));
        o.WriteLine("subnet_id " + config.SubnetId);
        o.WriteLine("root_key " + Convert.ToHexStringLower(config.RootKeyDer));
        foreach (PeerInfo p in config.Nodes)
        {
            o.WriteLine($"node {p.Index} {p.NodeId} http {p.Host}:{p.HttpPort} akka {p.Host}:{p.AkkaPort}" + (p.Index == me ? " " + path : ""));
        }

        o.WriteLine("compare subnet_id and the node ids with the other replicas' operators before starting `iinet node`");
        return ExitCodes.Success;
    }

    private static DnsEndPoint ParsePeer(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new CliInputException($"--peers: '{text}' is not host:port");
        }

        return new DnsEndPoint(text[..colon], port);
    }
}
