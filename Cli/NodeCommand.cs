using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Akka.Actor;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Persistence;

namespace InternetIdentity.Cli;

/// <summary>`iinet node --config FILE`: runs one replica of a subnet from its genesis configuration until Ctrl-C.</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "the replica's configuration (node-<i>.json from `iinet genesis`)", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "where the replica keeps its journal and checkpoints (SQLite; default: a state directory beside --config)" };
        Option<string?> postgres = StorageOptions.Postgres();
        var testApi = new Option<bool>("--test-api") { Description = "serve the test API under /_/ (this replica's time; moving time needs `iinet up`)" };
        var reset = new Option<bool>("--reset") { Description = "forget what this replica persisted and start from genesis (its peers catch it up)" };
        // For `iinet chaos`: a proxy it owns listens on the genesis transport port and forwards here; a skewed clock.
        var transportPort = new Option<int?>("--transport-listen-port") { Hidden = true, Description = "listen for replicas here while peers know the genesis port" };
        var clockOffset = new Option<long>("--clock-offset-ms") { Hidden = true, Description = "run this replica's clock this many milliseconds off the system's" };
        var byzantine = new Option<string?>("--byzantine")
        {
            Description = "misbehave on purpose, for tests and research: " + string.Join("|", ByzantineModes.All) + " (never in a real subnet)",
        };
        // For `iinet chaos`: a replica stops when the tool that started it is gone, even if the tool was killed with SIGKILL.
        var parentPid = new Option<int?>("--parent-pid") { Hidden = true, Description = "stop (as on Ctrl-C) when this process is gone" };
        var cmd = new Command("node", "run one replica of a subnet from its genesis configuration; peers are found at the addresses it lists")
        {
            config, dataDir, postgres, reset, testApi, transportPort, clockOffset, byzantine, parentPid,
        };
        cmd.SetAction(async (r, ct) =>
        {
            TextWriter error = r.InvocationConfiguration.Error;
            using ParentWatch? parent = r.GetValue(parentPid) is int pid ? new ParentWatch(pid, TimeSpan.FromMilliseconds(500), error, ct) : null;
            return await RunAsync(r.GetValue(config)!, r.InvocationConfiguration.Output, error, parent?.Token ?? ct,
                r.GetValue(dataDir), r.GetValue(postgres), r.GetValue(reset), r.GetValue(testApi), r.GetValue(transportPort), r.GetValue(clockOffset),
                r.GetValue(byzantine)).ConfigureAwait(false);
        });
        return cmd;
    }

    // A reset replica starts from genesis and could vote against what it voted before (a second proposal or share at a
    // height it already signed): allowed only once f+1 peers (so at least one honest) certified a height above its votes.
    private static async Task CheckResetAsync(GenesisConfig config, ReplicaStorage storage, CancellationToken ct)
    {
        long voted;
        try
        {
            voted = await JournalVotes.HighestHeightAsync(storage, config, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or IOException or TimeoutException)
        {
            throw new CliInputException($"--reset: cannot read what replica {config.NodeIndex} voted for: {e.Message}");
        }

        if (voted == 0)
        {
            return;
        }

        int needed = ((config.Replicas - 1) / 3) + 1;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var heard = new List<string>();
        int past = 0;
        foreach (PeerInfo peer in config.Nodes.Where((_, i) => i != config.NodeIndex))
        {
            var url = new Uri($"http://{(peer.Host.Contains(':', StringComparison.Ordinal) ? $"[{peer.Host}]" : peer.Host)}:{peer.HttpPort}/api/v2/status");
            try
            {
                StatusResponse status = StatusResponse.Decode(await http.GetByteArrayAsync(url, ct).ConfigureAwait(false));
                ulong height = status.CertifiedHeight ?? 0;
                past += height > (ulong)voted ? 1 : 0;
                heard.Add($"{url.Authority} certified {height}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or CborFormatException)
            {
                heard.Add($"{url.Authority} did not answer ({e.GetBaseException().Message})");
            }
        }

        if (past < needed)
        {
            throw new CliInputException(
                $"--reset: replica {config.NodeIndex} voted up to height {voted} and a reset would forget it; {past} of its {config.Replicas - 1} peers " +
                $"report a certified height above {voted}, and {needed} must (so that an honest one vouches the subnet moved past those votes) " +
                $"({string.Join(", ", heard)}). Start the peers and wait until the subnet is past height {voted}, or start without --reset.");
        }
    }

    internal static async Task<int> RunAsync(string configPath, TextWriter output, TextWriter error, CancellationToken ct,
        string? dataDir = null, string? postgres = null, bool reset = false, bool testApi = false, int? transportListenPort = null,
        long clockOffsetMs = 0, string? byzantine = null)
    {
        ByzantineMode misbehaviour = ByzantineMode.None;
        if (byzantine is not null && !ByzantineModes.TryParse(byzantine, out misbehaviour))
        {
            throw new CliInputException($"--byzantine: '{byzantine}' is none of {string.Join(", ", ByzantineModes.All)}");
        }

        if (transportListenPort is < 1 or > 65535)
        {
            throw new CliInputException($"--transport-listen-port: {transportListenPort} is not a port number");
        }

        GenesisConfig config;
        try
        {
            config = GenesisConfig.Load(configPath);
        }
        catch (GenesisConfigException e)
        {
            throw new CliInputException("--config: " + e.Message);
        }

        ReplicaStorage storage = StorageOptions.Storage(
            dataDir ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, "state"), postgres);
        if (reset)
        {
            await CheckResetAsync(config, storage, ct).ConfigureAwait(false);
            StorageOptions.Use(() =>
            {
                storage.ResetReplica(config.SubnetId.ToString(), config.NodeIndex);
                return true;
            });
        }

        var started = Stopwatch.StartNew();
        using var stop = new StopSignals(ct);
        using Microsoft.Extensions.Logging.ILoggerFactory logging = ReplicaLogging.Create();
        PeerInfo self = config.Self;
        IReadOnlyList<Address> replicas = ReplicaHost.GenesisAddresses(config);
        output.WriteLine($"starting replica {config.NodeIndex} of {config.Replicas} of subnet {config.SubnetId} (akka {self.Host}:{self.AkkaPort}, http {self.Host}:{self.HttpPort}) ...");
        if (transportListenPort is int listen)
        {
            output.WriteLine($"transport    listens on {self.Host}:{listen}, known to peers as {self.Host}:{self.AkkaPort}");
        }

        if (clockOffsetMs != 0)
        {
            output.WriteLine($"clock        {clockOffsetMs} ms off the system clock");
        }

        output.WriteLine("seed nodes   " + string.Join(", ", ReplicaHost.SeedNodes(replicas)));
        output.Flush();
        var options = new ReplicaHostOptions
        {
            Canisters = SubnetCanisters.Create(),
            Logging = logging,
            HttpAddress = IPAddress.TryParse(self.Host, out IPAddress? ip) ? ip : IPAddress.Any,
            Storage = storage,
            AkkaBindPort = transportListenPort,
            Byzantine = misbehaviour,
        };
        if (misbehaviour != ByzantineMode.None)
        {
            error.WriteLine($"warning: replica {config.NodeIndex} runs BYZANTINE on purpose (--byzantine {byzantine}): for tests and research only");
            error.Flush();
            output.WriteLine("byzantine    " + byzantine);
        }

        // The peers of this replica run their own clocks: its test API reads the time but cannot move it.
        var time = new SubnetTime(new SubnetClock(SubnetTimeMode.System, clockOffsetMs == 0 ? null : new SkewedClock(TimeSpan.FromMilliseconds(clockOffsetMs))),
            controlsEveryReplica: false);
        options = options with { Time = time.Clock, TestApi = testApi ? new Replica.Gateway.TestApi(time) : null };
        output.WriteLine("state in     " + storage.Describe());
        StorageOptions.Prepare(storage, config.NodeIndex);
        ReplicaHost host;
        try
        {
            host = ReplicaHost.Bind(config, options, ReplicaHost.SeedNodes(replicas));
        }
        catch (Npgsql.NpgsqlException e)
        {
            throw new CliInputException($"--postgres: cannot use the database: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CliInputException($"cannot listen for replicas on {self.Host}:{self.AkkaPort}: {e.GetBaseException().Message}");
        }

        await using (host.ConfigureAwait(false))
        {
            try
            {
                await host.StartAsync(replicas, joinCluster: false, stop.Token).ConfigureAwait(false);
                time.Attach([host.Node], [host.Consensus]);
            }
            catch (IOException e)
            {
                throw new CliInputException($"cannot serve HTTP on {self.Host}:{self.HttpPort}: {e.Message}");
            }

            output.WriteLine($"waiting for the first certified height (needs {config.Certification.Threshold} of {config.Replicas} replicas) ...");
            output.Flush();
            try
            {
                var state = await host.Node.WaitForCertificationAsync(0, stop.Token).ConfigureAwait(false);
                output.WriteLine($"certified height {state.Height} after {started.ElapsedMilliseconds} ms");
                output.WriteLine("url          " + host.Gateway.Url.ToString().TrimEnd('/'));
                output.WriteLine("root_key     " + Convert.ToHexStringLower(config.RootKeyDer));
                output.WriteLine("subnet_id    " + config.SubnetId);
                output.WriteLine("node_id      " + config.NodeKey.NodeId);
                output.WriteLine("ready: replica " + config.NodeIndex + " serves the IC HTTP interface; Ctrl-C stops");
                output.Flush();
                Task stopped = Task.Delay(Timeout.Infinite, stop.Token);
                if (await Task.WhenAny(stopped, host.Node.Halted).ConfigureAwait(false) == host.Node.Halted)
                {
                    error.WriteLine("error: replica stopped: " + host.Node.Halted.Result.Message);
                    return ExitCodes.InternalError;
                }
            }
            catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
            {
            }
            catch (InvalidOperationException e) when (host.Node.Fault is not null)
            {
                error.WriteLine("error: replica stopped: " + e.Message);
                return ExitCodes.InternalError;
            }

            output.WriteLine("stopping ...");
            output.Flush();
        }

        return ExitCodes.Success;
    }
}
