using System.Diagnostics;
using System.Net;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.TestSupport;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Testing;

/// <summary>
/// An Internet Computer network inside the test process: the replicas, consensus and certification of <c>iinet up</c>
/// on free loopback ports, with Internet Identity and whoami at their mainnet ids. Start it with
/// <see cref="StartAsync"/>; disposing it stops every replica and frees its ports. Within one process the subnet's
/// genesis (its keys) is made once per replica count, so every start after the first is quick.
/// </summary>
public sealed class LocalNetwork : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private readonly ILoggerFactory _logging;
    private readonly NetworkLog _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LocalSubnet _subnet;
    private TestIdentities _identities;
    private IReadOnlyList<(Principal Canister, byte[] Snapshot)> _startSnapshots = [];
    private bool _disposed;

    private LocalNetwork(LocalNetworkOptions options, ILoggerFactory logging, NetworkLog log, LocalSubnet subnet, Ed25519Identity controller, TimeSpan startup)
    {
        Options = options;
        _logging = logging;
        _log = log;
        _subnet = subnet;
        Controller = controller;
        _identities = new TestIdentities(options.CallTimeout);
        StartupTime = startup;
        Time = new NetworkTime(() => Subnet.Time);
    }

    /// <summary>The options the network was started with.</summary>
    public LocalNetworkOptions Options { get; }

    /// <summary>How long the last start (or reset) took until every replica had a certified state.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The running subnet (replicas, gateways, time) for what the harness does not wrap.</summary>
    public LocalSubnet Subnet
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _subnet;
        }
    }

    /// <summary>
    /// The identity that controls II and the assets canisters (made for this network): it may call the management
    /// canister's snapshot methods on them, as <see cref="ResetAsync"/> does.
    /// </summary>
    public Ed25519Identity Controller { get; }

    /// <summary>The URL of replica 0's HTTP interface and gateway (what <c>iinet up</c> prints).</summary>
    public Uri Url => Subnet.Url;

    /// <summary>Every replica's URL, by index.</summary>
    public IReadOnlyList<Uri> ReplicaUrls => [.. Subnet.Gateways.Select(g => g.Url)];

    /// <summary>The network's root public key (133-byte DER): pin it in agents instead of fetching it.</summary>
    public byte[] RootKey => (byte[])Subnet.Config.RootKeyDer.Clone();

    /// <summary>The subnet's id.</summary>
    public Principal SubnetId => Subnet.Config.SubnetId;

    /// <summary>Internet Identity's canister id (<c>rdmx6-jaaaa-aaaaa-aaadq-cai</c>, as on mainnet).</summary>
    public static Principal InternetIdentityId => SubnetCanisters.InternetIdentityId;

    /// <summary>The whoami canister's id.</summary>
    public static Principal WhoamiId => WhoamiCanister.Id;

    /// <summary>II's frontend: <c>http://&lt;ii id&gt;.localhost:&lt;port&gt;/</c>.</summary>
    public Uri InternetIdentityUrl => CanisterUrl(InternetIdentityId);

    /// <summary>Time control: set, advance and (manual mode) tick.</summary>
    public NetworkTime Time { get; }

    /// <summary>The replicas' log lines of this network (at <see cref="LocalNetworkOptions.LogLevel"/> and above).</summary>
    public NetworkLog Logs => _log;

    /// <summary>
    /// Starts a network and returns once every replica has a certified state. Throws ArgumentException for options out of
    /// range and TimeoutException when the network does not certify its first height within <see cref="LocalNetworkOptions.StartTimeout"/>.
    /// </summary>
    public static async Task<LocalNetwork> StartAsync(LocalNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalNetworkOptions();
        options.Validate();
        var log = new NetworkLog(options.LogLevel);
        ILoggerFactory logging = LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(options.LogLevel);
            b.AddProvider(log);
            if (options.Logging is { } more)
            {
                b.AddProvider(new ForwardingLoggerProvider(more));
            }
        });
        LocalSubnet? subnet = null;
        try
        {
            var started = Stopwatch.StartNew();
            Ed25519Identity controller = Ed25519Identity.Generate();
            subnet = await StartSubnetAsync(options, controller, logging, cancellationToken).ConfigureAwait(false);
            var network = new LocalNetwork(options, logging, log, subnet, controller, TimeSpan.Zero);
            await network.TakeStartSnapshotsAsync(cancellationToken).ConfigureAwait(false);
            network.StartupTime = started.Elapsed;
            return network;
        }
        catch
        {
            if (subnet is not null)
            {
                await subnet.DisposeAsync().ConfigureAwait(false);
            }

            logging.Dispose();
            throw;
        }
    }

    /// <summary>The URL of a canister's frontend through the gateway: <c>http://&lt;id&gt;.localhost:&lt;port&gt;/</c>.</summary>
    public Uri CanisterUrl(Principal canister)
    {
        ArgumentNullException.ThrowIfNull(canister);
        return new Uri($"http://{canister}.localhost:{Url.Port}/");
    }

    /// <summary>The URL of the assets canister serving <see cref="LocalNetworkOptions.AssetFolders"/>[<paramref name="index"/>].</summary>
    public Uri AssetsUrl(int index)
    {
        if (index < 0 || index >= Options.AssetFolders.Count)
        {
            throw new ArgumentException($"there are {Options.AssetFolders.Count} asset folders; {index} is not one of them", nameof(index));
        }

        return CanisterUrl(SubnetCanisters.AssetsCanisterId(index));
    }

    /// <summary>
    /// An agent for this network as <paramref name="identity"/> (anonymous when null): the root key pinned, the network's
    /// clock as its clock (so moved time needs no sync), calls bounded by <see cref="LocalNetworkOptions.CallTimeout"/>.
    /// The caller disposes it.
    /// </summary>
    public HttpAgent CreateAgent(IIdentity? identity = null) => new(new HttpAgentOptions
    {
        Host = Url,
        Identity = identity ?? AnonymousIdentity.Instance,
        RootKey = RootKey,
        Time = Subnet.Time.Clock,
        CallTimeout = Options.CallTimeout,
    });

    /// <summary>
    /// Registers a new anchor in II through its Candid interface with a fresh Ed25519 device key (no WebAuthn). With
    /// <see cref="LocalNetworkOptions.IiCaptcha"/> it needs <see cref="LocalNetworkOptions.IiDummyAuth"/> (II's dummy captcha).
    /// Throws <see cref="TestIdentityException"/> when II refuses or does not answer in time.
    /// </summary>
    public Task<TestAnchor> CreateAnchorAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async (identities, ct) =>
        {
            Replica.TestSupport.TestAnchor made = await identities.CreateAnchorAsync(_subnet.Replicas[0], ct).ConfigureAwait(false);
            return new TestAnchor(made.Number, Ed25519Identity.FromSeed(made.DeviceSeed));
        }, cancellationToken);

    /// <summary>
    /// Signs <paramref name="anchor"/> in to <paramref name="origin"/> (e.g. <c>http://localhost:5173</c>) as II's frontend
    /// would for a dapp: a fresh Ed25519 session key, <c>prepare_delegation</c> and <c>get_delegation</c> with the device key.
    /// <paramref name="timeToLive"/> is the delegation's lifetime (II's default, 30 minutes, when null; II caps it at 30 days).
    /// Throws ArgumentException for an anchor not made by this network, and <see cref="TestIdentityException"/> when II refuses.
    /// </summary>
    public Task<TestSignInResult> SignInAsync(TestAnchor anchor, string origin, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        ArgumentException.ThrowIfNullOrWhiteSpace(origin);
        if (!Uri.TryCreate(origin, UriKind.Absolute, out Uri? parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || parsed.PathAndQuery != "/" || origin.EndsWith('/'))
        {
            throw new ArgumentException($"{origin} is not an origin (scheme://host[:port], no path or trailing slash)", nameof(origin));
        }

        if (timeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the delegation's time to live {ttl} is not positive", nameof(timeToLive));
        }

        Replica.TestSupport.TestAnchor? known = _identities.Find(anchor.Number);
        if (known is null || !known.DevicePublicKeyDer.AsSpan().SequenceEqual(anchor.Device.PublicKeyDer))
        {
            throw new ArgumentException($"anchor {anchor.Number} was not created by this network (or the network was reset since)", nameof(anchor));
        }

        return RunAsync(async (identities, ct) =>
        {
            Ed25519Identity sessionKey = Ed25519Identity.Generate();
            ulong? ttlNanos = timeToLive is { } t ? checked((ulong)t.Ticks * 100) : null;
            TestSignIn signIn = await identities.SignInAsync(_subnet.Replicas[0], anchor.Number, origin, sessionKey.PublicKeyDer, ttlNanos, ct).ConfigureAwait(false);
            var chain = new DelegationChain(signIn.UserPublicKeyDer, [signIn.Delegation]);
            return new TestSignInResult(origin, new DelegationIdentity(sessionKey, chain));
        }, cancellationToken);
    }

    /// <summary>
    /// Creates a canister controlled by <see cref="Controller"/> (<c>provisional_create_canister_with_cycles</c>) and installs
    /// <paramref name="wasm"/> (a .wasm or gzipped module) in it with <paramref name="arg"/> (Candid binary; <c>()</c> when
    /// null), both through the management canister and consensus; returns the canister's id. <see cref="ResetAsync"/> leaves
    /// installed canisters as they are. A refusal (a malformed module, a trap in <c>canister_init</c>) throws
    /// <see cref="IcRejectException"/> with the IC's code and text.
    /// </summary>
    public async Task<Principal> InstallCanisterAsync(byte[] wasm, byte[]? arg = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wasm);
        if (wasm.Length == 0)
        {
            throw new ArgumentException("the wasm module is empty", nameof(wasm));
        }

        using HttpAgent agent = CreateAgent(Controller);
        return await RunAsync(async ct =>
        {
            CanisterIdRecord created = await agent.CallAsync<CanisterIdRecord>(Principal.ManagementCanister, "provisional_create_canister_with_cycles",
                CandidArgs.Encode(new ProvisionalCreateCanisterArgs()), ct).ConfigureAwait(false);
            await agent.CallAsync(Principal.ManagementCanister, "install_code",
                CandidArgs.Encode(new InstallCodeArgs(new CanisterInstallMode.Install(), created.CanisterId, wasm, arg ?? CandidArgs.Encode())), ct).ConfigureAwait(false);
            return created.CanisterId.ToPrincipal();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts II and the assets canisters back to the state they had when the network started (II empty): the management
    /// canister's <c>load_canister_snapshot</c>, called by <see cref="Controller"/> through consensus, so every replica
    /// restores at the same height and certifies the result. One round, not a restart: URLs, ports, agents and the root key
    /// stay valid, and time does not go back (block time only moves forward). Anchors made before are gone. A reject or
    /// network failure throws the agent's typed exception (<see cref="IcAgentException"/>).
    /// </summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.StartNew();
            using HttpAgent agent = CreateAgent(Controller);
            await RunAsync(async ct =>
            {
                foreach ((Principal canister, byte[] snapshot) in _startSnapshots)
                {
                    await agent.CallAsync(Principal.ManagementCanister, "load_canister_snapshot",
                        CandidArgs.Encode(new SnapshotIdArgs(CandidPrincipal.FromPrincipal(canister), snapshot)), ct).ConfigureAwait(false);
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
            _identities = new TestIdentities(Options.CallTimeout);
            StartupTime = started.Elapsed;
        }
        finally
        {
            _gate.Release();
        }
    }

    // The state ResetAsync returns to: a snapshot of each canister that keeps state, taken once the network runs.
    private async Task TakeStartSnapshotsAsync(CancellationToken cancellationToken)
    {
        Principal[] canisters = [InternetIdentityId, .. Enumerable.Range(0, Options.AssetFolders.Count).Select(SubnetCanisters.AssetsCanisterId)];
        using HttpAgent agent = CreateAgent(Controller);
        _startSnapshots = await RunAsync(async ct =>
        {
            var taken = new List<(Principal, byte[])>();
            foreach (Principal canister in canisters)
            {
                SnapshotRecord info = await agent.CallAsync<SnapshotRecord>(Principal.ManagementCanister, "take_canister_snapshot",
                    CandidArgs.Encode(new TakeSnapshotArgs(CandidPrincipal.FromPrincipal(canister))), ct).ConfigureAwait(false);
                taken.Add((canister, info.Id));
            }

            return (IReadOnlyList<(Principal, byte[])>)taken;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops every replica and frees the ports.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _subnet.DisposeAsync().ConfigureAwait(false);
        _logging.Dispose();
        _gate.Dispose();
    }

    private static async Task<LocalSubnet> StartSubnetAsync(LocalNetworkOptions options, Ed25519Identity controller, ILoggerFactory logging,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<GenesisConfig> configs = GenesisCache.Get(options.Replicas);
        var canisters = new SubnetCanisterOptions(options.IiDummyAuth, options.IiCaptcha, [.. options.AssetFolders.Select(AssetsCanister.ReadFolder)],
            options.IiAlternativeOrigins, [controller.Principal]);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        for (int attempt = 1; ; attempt++)
        {
            LocalSubnet? subnet = null;
            try
            {
                subnet = await LocalSubnet.StartAsync(configs, () => SubnetCanisters.Create(canisters), new SubnetClock(options.TimeMode), IPAddress.Loopback, 0,
                    logging, options.CallTimeout, timeout.Token, o => o with { Storage = options.Storage?.Storage }, chargeCycles: options.ChargeCycles).ConfigureAwait(false);
                subnet.Time.Timeout = options.CallTimeout;
                await subnet.WaitUntilCertifiedAsync(timeout.Token).ConfigureAwait(false);
                return subnet;
            }
            catch (IOException) when (attempt < StartAttempts && !timeout.IsCancellationRequested)
            {
                // Another process took a port between choosing and binding it: start again on other free ports.
                if (subnet is not null)
                {
                    await subnet.DisposeAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (subnet is not null)
                {
                    await subnet.DisposeAsync().ConfigureAwait(false);
                }

                throw new TimeoutException($"the local network of {options.Replicas} replica(s) did not start and certify its first height within "
                    + $"{options.StartTimeout.TotalSeconds:0.#} s");
            }
            catch
            {
                if (subnet is not null)
                {
                    await subnet.DisposeAsync().ConfigureAwait(false);
                }

                throw;
            }
        }
    }

    private Task<T> RunAsync<T>(Func<TestIdentities, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        TestIdentities identities = _identities;
        return RunAsync(ct => action(identities, ct), cancellationToken);
    }

    // In manual time mode blocks are made only on ticks: tick until the harness's own calls are certified.
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        LocalSubnet subnet = _subnet;
        Task<T> operation = action(cancellationToken);
        if (subnet.Time.Mode == SubnetTimeMode.Manual)
        {
            while (!operation.IsCompleted)
            {
                await subnet.Time.TickAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return await operation.ConfigureAwait(false);
    }

    private sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
