using System.Collections.Concurrent;
using System.Diagnostics;
using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Envelopes;

namespace InternetIdentity.Cli.Chaos;

/// <summary>One look at one replica: its certified height and health (null when it did not answer in time).</summary>
internal sealed record HeightSample(double Seconds, int Replica, ulong? Height, string? Health);

/// <summary>Two replicas certified different state roots for the same height.</summary>
internal sealed record Divergence(double Seconds, ulong Height, int ReplicaA, string RootA, int ReplicaB, string RootB);

/// <summary>
/// Samples every replica while a chaos run goes on: <c>/api/v2/status</c> (certified height and health) and a
/// verified read_state of <c>/time</c>, whose certificate's tree digest is the certified state root, attributed to a
/// height only when the replica's certified height was the same before and after the read. Not by certified time: a
/// block maker whose clock is behind keeps its parent's time, so consecutive heights can share one.
/// </summary>
internal sealed class ProgressMonitor : IAsyncDisposable
{
    private readonly IReadOnlyList<Uri> _urls;
    private readonly HttpClient[] _clients;
    private readonly HttpAgent[] _agents;
    private readonly Stopwatch _clock;
    private readonly TimeSpan _interval;
    private readonly ConcurrentQueue<HeightSample> _samples = new();
    private readonly ConcurrentDictionary<ulong, (int Replica, string Root)> _roots = new();
    private readonly ConcurrentQueue<Divergence> _divergences = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private long _rootsCompared;

    /// <summary>A monitor of <paramref name="urls"/> whose clock is <paramref name="clock"/> (the run's).</summary>
    public ProgressMonitor(IReadOnlyList<Uri> urls, byte[] rootKeyDer, Stopwatch clock, TimeSpan interval)
    {
        _urls = urls;
        _clock = clock;
        _interval = interval;
        _clients = [.. urls.Select(u => new HttpClient { BaseAddress = u, Timeout = TimeSpan.FromSeconds(2) })];
        _agents = [.. urls.Select((u, i) => new HttpAgent(new HttpAgentOptions { Host = u, RootKey = rootKeyDer, HttpClient = _clients[i] }))];
    }

    /// <summary>Every sample so far, in time order per replica.</summary>
    public IReadOnlyList<HeightSample> Samples => [.. _samples.OrderBy(s => s.Seconds)];

    /// <summary>Divergent roots seen.</summary>
    public IReadOnlyList<Divergence> Divergences => [.. _divergences];

    /// <summary>Certified roots read and compared.</summary>
    public long RootsCompared => Interlocked.Read(ref _rootsCompared);

    /// <summary>Starts sampling.</summary>
    public void Start() => _running = Task.WhenAll(Enumerable.Range(0, _urls.Count).Select(i => Task.Run(() => SampleLoopAsync(i, _stop.Token))));

    /// <summary>The newest height each replica reported (0 when none).</summary>
    public ulong[] LatestHeights()
    {
        var latest = new ulong[_urls.Count];
        foreach (HeightSample s in _samples)
        {
            if (s.Height is ulong h && h > latest[s.Replica])
            {
                latest[s.Replica] = h;
            }
        }

        return latest;
    }

    /// <summary>Stops sampling.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (HttpAgent a in _agents)
        {
            a.Dispose();
        }

        foreach (HttpClient c in _clients)
        {
            c.Dispose();
        }

        _stop.Dispose();
    }

    private async Task SampleLoopAsync(int replica, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            long started = Stopwatch.GetTimestamp();
            ulong? height = null;
            string? health = null;
            try
            {
                StatusResponse status = StatusResponse.Decode(await _clients[replica].GetByteArrayAsync("api/v2/status", ct).ConfigureAwait(false));
                height = status.CertifiedHeight;
                health = status.ReplicaHealthStatus;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Protocol.Cbor.CborFormatException && !ct.IsCancellationRequested)
            {
            }

            _samples.Enqueue(new HeightSample(_clock.Elapsed.TotalSeconds, replica, height, health));
            if (height is not null)
            {
                await CompareRootAsync(replica, height.Value, ct).ConfigureAwait(false);
            }

            TimeSpan rest = _interval - Stopwatch.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task CompareRootAsync(int replica, ulong heightBefore, CancellationToken ct)
    {
        Certificate certificate;
        ulong? heightAfter;
        try
        {
            certificate = await _agents[replica].ReadStateAsync(InternetIdentityClient.DefaultCanisterId, [["time"u8.ToArray()]], ct).ConfigureAwait(false);
            heightAfter = StatusResponse.Decode(await _clients[replica].GetByteArrayAsync("api/v2/status", ct).ConfigureAwait(false)).CertifiedHeight;
        }
        catch (Exception e) when (e is IcAgentException or HttpRequestException or TaskCanceledException or TimeoutException
            or Protocol.Cbor.CborFormatException && !ct.IsCancellationRequested)
        {
            return;
        }

        // A certification between the two status reads: the certificate may be of either height.
        if (heightAfter != heightBefore || certificate.Time is null)
        {
            return;
        }

        string root = Convert.ToHexStringLower(certificate.Tree.Digest);
        (int firstReplica, string firstRoot) = _roots.GetOrAdd(heightBefore, (replica, root));
        Interlocked.Increment(ref _rootsCompared);
        if (firstRoot != root)
        {
            _divergences.Enqueue(new Divergence(_clock.Elapsed.TotalSeconds, heightBefore, firstReplica, firstRoot, replica, root));
        }
    }
}
