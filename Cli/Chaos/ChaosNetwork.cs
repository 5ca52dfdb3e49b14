using System.Net;
using System.Net.Sockets;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Replica.Genesis;

namespace InternetIdentity.Cli.Chaos;

/// <summary>Where and how a chaos network runs.</summary>
/// <param name="Directory">Genesis, data directories and logs go here.</param>
/// <param name="Replicas">n.</param>
/// <param name="BasePort">HTTP on P..P+n-1, the proxies (the transport ports genesis lists) on P+n.., the replicas' own transport on P+2n..</param>
/// <param name="Launcher">How to start `iinet node`.</param>
/// <param name="Postgres">A PostgreSQL connection string, or null for SQLite under <paramref name="Directory"/>.</param>
/// <param name="ExtraArgs">Per replica, arguments added to its `iinet node` (e.g. --byzantine MODE).</param>
internal sealed record ChaosNetworkOptions(string Directory, int Replicas, int BasePort, NodeLauncher Launcher, string? Postgres = null,
    IReadOnlyDictionary<int, IReadOnlyList<string>>? ExtraArgs = null);

/// <summary>
/// A subnet of `iinet node` processes on loopback, each replica's transport behind a <see cref="TransportProxy"/> this
/// object owns: genesis written with the proxies' ports, so every peer connection crosses a proxy and a partition is a
/// proxy decision. Disposing kills every process it started.
/// </summary>
internal sealed class ChaosNetwork : IAsyncDisposable
{
    private readonly List<TransportProxy> _proxies = [];
    private readonly List<ChaosNode> _nodes = [];
    private int[]? _groups;

    private ChaosNetwork(ChaosNetworkOptions options, IReadOnlyList<GenesisConfig> configs)
    {
        Options = options;
        Configs = configs;
        Urls = [.. configs.Select(c => new Uri($"http://127.0.0.1:{c.Self.HttpPort}"))];
    }

    /// <summary>How it was made.</summary>
    public ChaosNetworkOptions Options { get; }

    /// <summary>Genesis, per replica.</summary>
    public IReadOnlyList<GenesisConfig> Configs { get; }

    /// <summary>Each replica's IC HTTP interface.</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>The replicas.</summary>
    public IReadOnlyList<ChaosNode> Nodes => _nodes;

    /// <summary>The subnet's root key (DER).</summary>
    public byte[] RootKeyDer => Configs[0].RootKeyDer;

    /// <summary>Connections refused or cut by partitions, over all proxies.</summary>
    public long RefusedConnections => _proxies.Sum(p => p.Refused);

    /// <summary>Connections whose handshake named no replica, over all proxies.</summary>
    public long UnidentifiedConnections => _proxies.Sum(p => p.Unidentified);

    /// <summary>Writes genesis, starts the proxies and every replica (it does not wait for them: <see cref="WaitUntilCertifiedAsync"/>).</summary>
    /// <exception cref="CliInputException">a port is taken or the directory cannot be used.</exception>
    public static ChaosNetwork Start(ChaosNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int n = options.Replicas;
        if (options.BasePort < 1 || options.BasePort + (3 * n) - 1 > 65535)
        {
            throw new CliInputException($"--base-port: ports {options.BasePort}..{options.BasePort + (3 * n) - 1} are not all valid port numbers");
        }

        for (int port = options.BasePort; port < options.BasePort + (3 * n); port++)
        {
            if (!IsFree(port))
            {
                throw new CliInputException($"--base-port: port {port} of {options.BasePort}..{options.BasePort + (3 * n) - 1} is taken; pick other ports");
            }
        }

        IReadOnlyList<GenesisConfig> configs = GenesisBuilder.Create(n, "127.0.0.1", options.BasePort);
        string genesis = Path.Combine(options.Directory, "genesis");
        IReadOnlyList<string> paths = GenesisBuilder.Write(configs, genesis);
        var network = new ChaosNetwork(options, configs);
        int[] known = [.. configs.Select(c => c.Self.AkkaPort)];
        try
        {
            for (int i = 0; i < n; i++)
            {
                int listen = options.BasePort + (2 * n) + i;
                var proxy = new TransportProxy(i, new IPEndPoint(IPAddress.Loopback, known[i]), new IPEndPoint(IPAddress.Loopback, listen),
                    "127.0.0.1", known, network.Admits);
                network._proxies.Add(proxy);
                proxy.Start();
                network._nodes.Add(new ChaosNode(i, options.Launcher, paths[i], Path.Combine(options.Directory, $"node-{i}", "state"), listen,
                    Path.Combine(options.Directory, $"node-{i}.log"), options.Postgres,
                    options.ExtraArgs is not null && options.ExtraArgs.TryGetValue(i, out IReadOnlyList<string>? extra) ? extra : []));
            }

            foreach (ChaosNode node in network._nodes)
            {
                node.Start();
            }
        }
        catch
        {
            network.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return network;
    }

    /// <summary>Whether replica <paramref name="from"/> may reach replica <paramref name="to"/> under the current partition.</summary>
    public bool Admits(int from, int to)
    {
        int[]? groups = Volatile.Read(ref _groups);
        return groups is null || groups[from] == groups[to];
    }

    /// <summary>Cuts <paramref name="isolated"/> off from the other replicas (both ways), or heals with null.</summary>
    public void Partition(IReadOnlyCollection<int>? isolated)
    {
        Volatile.Write(ref _groups, isolated is null ? null : [.. Enumerable.Range(0, Options.Replicas).Select(i => isolated.Contains(i) ? 1 : 0)]);
        foreach (TransportProxy proxy in _proxies)
        {
            proxy.CutDisallowed();
        }
    }

    /// <summary>
    /// Waits until every replica (or those in <paramref name="only"/>) reports a certified height of at least
    /// <paramref name="height"/> (and above 0); returns the replicas that did not within <paramref name="timeout"/> (empty: all did).
    /// </summary>
    public async Task<IReadOnlyList<int>> WaitUntilCertifiedAsync(ulong height, TimeSpan timeout, CancellationToken ct, IEnumerable<int>? only = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var pending = new HashSet<int>(only ?? Enumerable.Range(0, Options.Replicas));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (pending.Count > 0)
            {
                foreach (int i in pending.ToArray())
                {
                    ulong? h = await CertifiedHeightAsync(http, i, deadline.Token).ConfigureAwait(false);
                    if (h is ulong got && got >= Math.Max(1, height))
                    {
                        pending.Remove(i);
                    }
                    else if (!_nodes[i].Running)
                    {
                        throw new ChaosNodeExitedException(_nodes[i]);
                    }
                }

                if (pending.Count > 0)
                {
                    await Task.Delay(250, deadline.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }

        return [.. pending.Order()];
    }

    /// <summary>Replica <paramref name="index"/>'s certified height from /api/v2/status, or null when it does not answer.</summary>
    public async Task<ulong?> CertifiedHeightAsync(HttpClient http, int index, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        try
        {
            byte[] body = await http.GetByteArrayAsync(new Uri(Urls[index], "/api/v2/status"), ct).ConfigureAwait(false);
            return StatusResponse.Decode(body).CertifiedHeight;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Protocol.Cbor.CborFormatException)
        {
            ct.ThrowIfCancellationRequested();
            return null;
        }
    }

    /// <summary>Stops every replica cleanly (SIGTERM), then the proxies; returns each replica's exit code.</summary>
    public async Task<IReadOnlyList<int?>> StopAsync()
    {
        int?[] codes = await Task.WhenAll(_nodes.Select(n => n.StopAsync(TimeSpan.FromSeconds(60)))).ConfigureAwait(false);
        return codes;
    }

    /// <summary>Kills every replica still running (SIGKILL) at once: for process-exit and Ctrl-C handlers.</summary>
    public void KillAll()
    {
        foreach (ChaosNode node in _nodes)
        {
            node.KillNow();
        }
    }

    /// <summary>Kills what still runs and closes the proxies.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (ChaosNode node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        foreach (TransportProxy proxy in _proxies)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>A replica process exited while the chaos network waited for it.</summary>
internal sealed class ChaosNodeExitedException(ChaosNode node)
    : Exception($"replica {node.Index} exited with code {node.ExitCode} (log {node.LogPath}):\n{node.Tail}");
