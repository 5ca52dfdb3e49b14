using System.Collections.Concurrent;
using System.Diagnostics;
using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Cli.Chaos;

/// <summary>An anchor the load registered (acknowledged), with what was acknowledged for it since.</summary>
internal sealed class AnchorRecord(ulong number, Ed25519Identity identity)
{
    /// <summary>The identity number.</summary>
    public ulong Number { get; } = number;

    /// <summary>Its first device, the sender of every call for it.</summary>
    public Ed25519Identity Identity { get; } = identity;

    /// <summary>Device public keys acknowledged as added (its first device included).</summary>
    public List<byte[]> Devices { get; } = [identity.PublicKeyDer];

    /// <summary>Requests acknowledged for it: the operation and the request id.</summary>
    public List<(string Operation, RequestId Id)> Requests { get; } = [];

    /// <summary>Devices whose addition was attempted (II bounds an anchor's devices).</summary>
    public int DevicesTried { get; set; } = 1;
}

/// <summary>
/// II load through the Agent library at a fixed rate against random replicas: registrations, added devices and
/// delegations (prepare_delegation and get_delegation). An operation is acknowledged when the agent returned its
/// certified reply; acknowledged ones are kept with their request ids for <see cref="ChaosChecker"/>.
/// </summary>
internal sealed class LoadDriver : IDisposable
{
    /// <summary>The operations, as summaries name them.</summary>
    public const string Register = "register", AddDevice = "add_device", Delegation = "prepare_delegation";

    private const int MaxInFlight = 64;
    private const string Frontend = "https://chaos.example";
    private readonly HttpAgent[] _agents;
    private readonly HttpClient[] _clients;
    private readonly Random _random;
    private readonly double _perSecond;
    private readonly List<AnchorRecord> _anchors = [];
    private readonly ConcurrentDictionary<string, int> _acknowledged = new();
    private readonly ConcurrentDictionary<string, int> _failed = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private int _inFlight;
    private int _skipped;

    /// <summary>Load on <paramref name="urls"/> (a subnet with <paramref name="rootKeyDer"/>) at <paramref name="perSecond"/> operations a second.</summary>
    public LoadDriver(IReadOnlyList<Uri> urls, byte[] rootKeyDer, double perSecond, int seed)
    {
        _perSecond = perSecond;
        _random = new Random(seed);
        _clients = [.. urls.Select(u => new HttpClient(new CallRecorder()) { BaseAddress = u, Timeout = TimeSpan.FromSeconds(15) })];
        _agents = [.. urls.Select((u, i) => new HttpAgent(new HttpAgentOptions
        {
            Host = u, RootKey = rootKeyDer, HttpClient = _clients[i], CallTimeout = TimeSpan.FromSeconds(30),
        }))];
    }

    /// <summary>The anchors registered so far (a snapshot).</summary>
    public IReadOnlyList<AnchorRecord> Anchors
    {
        get
        {
            lock (_anchors)
            {
                return [.. _anchors];
            }
        }
    }

    /// <summary>Acknowledged operations by kind.</summary>
    public IReadOnlyDictionary<string, int> Acknowledged => _acknowledged;

    /// <summary>Failed (unacknowledged) operations by kind: refused, timed out, or cut by a fault.</summary>
    public IReadOnlyDictionary<string, int> Failed => _failed;

    /// <summary>Operations not started because <see cref="MaxInFlight"/> were waiting.</summary>
    public int Skipped => _skipped;

    /// <summary>The first few distinct failure messages.</summary>
    public IReadOnlyList<string> Errors => [.. _errors.Distinct().Take(10)];

    /// <summary>Runs until <paramref name="duration"/> passed, then waits for the operations in flight.</summary>
    public async Task RunAsync(TimeSpan duration, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var running = new List<Task>();
        for (long k = 0; ; k++)
        {
            TimeSpan next = TimeSpan.FromSeconds(k / _perSecond);
            if (next >= duration)
            {
                break;
            }

            TimeSpan wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct).ConfigureAwait(false);
            }

            if (Volatile.Read(ref _inFlight) >= MaxInFlight)
            {
                Interlocked.Increment(ref _skipped);
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            running.Add(Task.Run(() => OneAsync(ct), CancellationToken.None));
            running.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (HttpAgent agent in _agents)
        {
            agent.Dispose();
        }

        foreach (HttpClient client in _clients)
        {
            client.Dispose();
        }
    }

    private async Task OneAsync(CancellationToken ct)
    {
        string operation;
        int replica;
        AnchorRecord? anchor = null;
        double roll;
        lock (_random)
        {
            replica = _random.Next(_agents.Length);
            roll = _random.NextDouble();
        }

        lock (_anchors)
        {
            if (_anchors.Count >= 5 && roll >= 0.4)
            {
                lock (_random)
                {
                    anchor = _anchors[_random.Next(_anchors.Count)];
                }
            }
        }

        operation = anchor is null ? Register : roll < 0.7 && anchor.DevicesTried < 4 ? AddDevice : Delegation;
        try
        {
            List<RequestId> ids = CallRecorder.Begin();
            switch (operation)
            {
                case Register:
                {
                    var identity = Ed25519Identity.Generate();
                    ulong number = await new InternetIdentityClient(_agents[replica].WithIdentity(identity)).RegisterAsync(cancellationToken: ct)
                        .ConfigureAwait(false);
                    var record = new AnchorRecord(number, identity);
                    Acknowledge(record, operation, ids);
                    lock (_anchors)
                    {
                        _anchors.Add(record);
                    }

                    break;
                }

                case AddDevice:
                {
                    var device = Ed25519Identity.Generate();
                    lock (anchor!)
                    {
                        anchor.DevicesTried++;
                    }

                    await new InternetIdentityClient(_agents[replica].WithIdentity(anchor.Identity)).AddAsync(anchor.Number,
                        new DeviceData(device.PublicKeyDer, "chaos", null, null, Purpose.Authentication, KeyType.Unknown, DeviceProtection.Unprotected, null, null),
                        ct).ConfigureAwait(false);
                    lock (anchor)
                    {
                        anchor.Devices.Add(device.PublicKeyDer);
                    }

                    Acknowledge(anchor, operation, ids);
                    break;
                }

                default:
                    await new InternetIdentityClient(_agents[replica].WithIdentity(anchor!.Identity))
                        .LoginAsync(anchor.Number, Frontend, Ed25519Identity.Generate(), cancellationToken: ct).ConfigureAwait(false);
                    Acknowledge(anchor, operation, ids);
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failed.AddOrUpdate(operation, 1, (_, c) => c + 1);
            if (_errors.Count < 200)
            {
                _errors.Enqueue($"{operation}: {e.GetType().Name}: {FirstLine(e.Message)}");
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Acknowledge(AnchorRecord anchor, string operation, List<RequestId> ids)
    {
        _acknowledged.AddOrUpdate(operation, 1, (_, c) => c + 1);
        lock (ids)
        {
            lock (anchor)
            {
                anchor.Requests.AddRange(ids.Select(id => (operation, id)));
            }
        }
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
