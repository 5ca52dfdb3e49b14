using System.Buffers.Binary;
using System.Net;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.Persistence;
using InternetIdentity.Replica.State;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.PocketIc;

/// <summary>
/// One PocketIC instance: a <see cref="LocalSubnet"/> of our replicas with impersonation allowed, in manual time (a tick
/// is one height agreed and certified by every replica, at the time set, after which the time stands one nanosecond later, as
/// PocketIC's: time moves only when set, plus one nanosecond per tick), with II and whoami built in. Auto progress
/// sets the time to the wall clock and makes a height every 100 ms (plus the artificial delay), as PocketIC's live mode.
/// </summary>
public sealed class PocketIcInstance : IAsyncDisposable
{
    /// <summary>The fewest milliseconds between two rounds of auto progress (PocketIC's <c>MIN_OPERATION_DELAY</c>).</summary>
    public const int MinRoundDelayMs = 100;

    /// <summary>The most rounds an await runs (manual time) before it gives up on a call.</summary>
    public const int MaxAwaitRounds = 100;

    private static readonly TimeSpan s_autoAwaitTimeout = TimeSpan.FromSeconds(60);
    private readonly Lock _progressLock = new();
    private long _nonce;
    private CancellationTokenSource? _progress;
    private Task? _progressLoop;

    private PocketIcInstance(int id, InstanceConfig config, LocalSubnet subnet)
    {
        Id = id;
        Config = config;
        Subnet = subnet;
    }

    /// <summary>The instance id (0, 1, ... in order of creation).</summary>
    public int Id { get; }

    /// <summary>What the creation body asked for.</summary>
    public InstanceConfig Config { get; }

    /// <summary>The running subnet.</summary>
    public LocalSubnet Subnet { get; }

    /// <summary>The subnet's id.</summary>
    public Principal SubnetId => Subnet.Config.SubnetId;

    /// <summary>The canister ranges the subnet hosts.</summary>
    public IReadOnlyList<(Principal Low, Principal High)> CanisterRanges => GenesisConfig.CanisterRanges.Ranges;

    /// <summary>The instance's time (what <c>get_time</c> answers), nanoseconds since the epoch.</summary>
    public ulong TimeNanos => (ulong)Subnet.Time.NowNanos;

    /// <summary>Whether auto progress is on.</summary>
    public bool AutoProgress
    {
        get
        {
            lock (_progressLock)
            {
                return _progress is not null;
            }
        }
    }

    private ReplicaNode Replica0 => Subnet.Replicas[0];

    /// <summary>
    /// Starts an instance's subnet from <paramref name="genesis"/> and applies its initial time and progress mode; with
    /// <paramref name="storage"/> the replicas keep their state there and start from what it holds.
    /// </summary>
    public static async Task<PocketIcInstance> StartAsync(int id, InstanceConfig config, IReadOnlyList<GenesisConfig> genesis, ILoggerFactory? logging,
        CancellationToken cancellationToken, ReplicaStorage? storage = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(genesis);
        LocalSubnet subnet = await LocalSubnet.StartAsync(genesis, () => SubnetCanisters.Create(), new SubnetClock(SubnetTimeMode.Manual), IPAddress.Loopback, 0,
            logging, cancellationToken: cancellationToken, replicaOptions: storage is null ? null : o => o with { Storage = storage },
            impersonationAllowed: true, chargeCycles: config.ChargeCycles).ConfigureAwait(false);
        var instance = new PocketIcInstance(id, config, subnet);
        try
        {
            // A restored subnet's time may lie ahead of the wall clock (it was set forward): never start behind it.
            ulong restored = subnet.Replicas.Max(r => r.Latest?.TimeNanos ?? 0);
            if (restored >= instance.TimeNanos)
            {
                subnet.Time.Clock.MoveTo(checked((long)restored + 1));
            }

            if (config.InitialTimeNanos is { } initial)
            {
                await instance.SetCertifiedTimeAsync(initial, cancellationToken).ConfigureAwait(false);
            }

            if (config.AutoProgress)
            {
                instance.StartAutoProgress(config.ArtificialDelayMs);
            }

            return instance;
        }
        catch
        {
            await instance.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sets the time without making a height (queries see it after the next tick, whose height carries exactly this time).
    /// Throws <see cref="PocketIcException"/> <c>SettingTimeIntoPast((current, requested))</c> for a time before the instance's.
    /// </summary>
    public void SetTime(ulong nanosSinceEpoch)
    {
        if (CheckForward(nanosSinceEpoch))
        {
            Subnet.Time.Clock.MoveTo(checked((long)nanosSinceEpoch));
        }
    }

    /// <summary>Sets the time and certifies it in one new height on every replica, so queries see it at once.</summary>
    public async Task SetCertifiedTimeAsync(ulong nanosSinceEpoch, CancellationToken cancellationToken)
    {
        if (CheckForward(nanosSinceEpoch))
        {
            await Subnet.Time.SetTimeAsync(checked((long)nanosSinceEpoch), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One round: one new height, agreed and certified by every replica, executing the pending calls.</summary>
    public Task TickAsync(CancellationToken cancellationToken) => Subnet.Time.ExecuteRoundAsync(cancellationToken);

    /// <summary>Turns auto progress on; throws <see cref="PocketIcException"/> when it is on already.</summary>
    public void StartAutoProgress(ulong artificialDelayMs)
    {
        lock (_progressLock)
        {
            if (_progress is not null)
            {
                throw PocketIcException.BadRequest("Auto progress mode has already been enabled.");
            }

            _progress = new CancellationTokenSource();
            TimeSpan delay = TimeSpan.FromMilliseconds(MinRoundDelayMs + (double)Math.Min(artificialDelayMs, 3_600_000));
            CancellationToken token = _progress.Token;
            _progressLoop = Task.Run(() => ProgressAsync(delay, token), CancellationToken.None);
        }
    }

    /// <summary>Turns auto progress off (nothing when it is off) and returns once its last round finished.</summary>
    public async Task StopAutoProgressAsync()
    {
        CancellationTokenSource? progress;
        Task? loop;
        lock (_progressLock)
        {
            (progress, loop) = (_progress, _progressLoop);
            (_progress, _progressLoop) = (null, null);
        }

        if (progress is null)
        {
            return;
        }

        await progress.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop!.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        progress.Dispose();
    }

    // Live mode as PocketIC's: the time follows the wall clock (never backwards) and a round runs after every delay.
    private async Task ProgressAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            long now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
            await Subnet.Time.SetTimeAsync(Math.Max(now, Subnet.Time.NowNanos), cancellationToken).ConfigureAwait(false);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A query as <paramref name="sender"/> (no signature) on the newest certified state.</summary>
    public async Task<CanisterReply> QueryAsync(Principal sender, Principal canisterId, string method, byte[] arg, CancellationToken cancellationToken)
    {
        if (canisterId == Principal.ManagementCanister)
        {
            return CanisterReply.Reject(RejectCode.DestinationInvalid,
                $"the management canister's query method {method} is not served by this server yet (it needs wasm canisters)", "IC0302");
        }

        return await Replica0.QueryAsync(sender, canisterId, method, arg, cancellationToken).ConfigureAwait(false)
            ?? CanisterReply.Reject(RejectCode.DestinationInvalid, $"Canister {canisterId} not found", "IC0301");
    }

    /// <summary>
    /// Submits an update call as <paramref name="sender"/> (impersonated: no signature) and returns its message id, or a
    /// reject when the canister does not exist. Every submission gets a fresh nonce, so equal calls run as often as sent.
    /// </summary>
    public async Task<(RequestId? Id, CanisterReply? Reject)> SubmitAsync(Principal sender, Principal canisterId, string method, byte[] arg,
        CancellationToken cancellationToken)
    {
        if (canisterId != Principal.ManagementCanister && !Replica0.HasCanister(canisterId))
        {
            return (null, CanisterReply.Reject(RejectCode.DestinationInvalid, $"Canister {canisterId} not found", "IC0301"));
        }

        byte[] nonce = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(nonce, Interlocked.Increment(ref _nonce));
        ulong expiry = TimeNanos + (IngressLimits.MaxExpiryAheadNanos / 2);
        RequestContent call = RequestContent.Call(RequestType.Call, sender, canisterId, method, arg, expiry, nonce);
        await Replica0.SubmitImpersonatedAsync(call, cancellationToken).ConfigureAwait(false);
        return (call.ComputeRequestId(), null);
    }

    /// <summary>The outcome of a call once executed and certified, or null while it is not (PocketIC's ingress_status).</summary>
    public async Task<RequestStatus?> StatusAsync(RequestId id, CancellationToken cancellationToken)
    {
        RequestStatus? status = await Replica0.StatusAsync(id, cancellationToken).ConfigureAwait(false);
        // Executed is not enough: answer once the height that holds it is certified.
        return status is not null && Replica0.Latest?.Tree.Child("request_status")?.Child(id.Bytes.ToArray()) is not null ? status : null;
    }

    /// <summary>
    /// Waits for a call's outcome: in manual time runs rounds until it is certified (at most <see cref="MaxAwaitRounds"/>),
    /// with auto progress waits for the rounds it makes. Throws <see cref="PocketIcException"/> when it never comes.
    /// </summary>
    public async Task<RequestStatus> AwaitAsync(RequestId id, CancellationToken cancellationToken)
    {
        for (int round = 0; round <= MaxAwaitRounds; round++)
        {
            if (await StatusAsync(id, cancellationToken).ConfigureAwait(false) is { } status)
            {
                return status;
            }

            if (AutoProgress)
            {
                await Replica0.WaitForStatusAsync(id, s_autoAwaitTimeout, cancellationToken).ConfigureAwait(false);
                return await StatusAsync(id, cancellationToken).ConfigureAwait(false)
                    ?? throw PocketIcException.BadRequest($"message {id} was not executed within {s_autoAwaitTimeout.TotalSeconds:0} s of auto progress (expired, or never submitted)");
            }

            if (round < MaxAwaitRounds)
            {
                await TickAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        throw PocketIcException.BadRequest($"message {id} was not executed within {MaxAwaitRounds} rounds (expired, or never submitted to this instance)");
    }

    /// <summary>
    /// A canister's cycle balance on the newest executed state (0 for the built-in canisters, which keep none). Throws
    /// <see cref="PocketIcException"/> <c>CanisterNotFound</c> for an unknown canister.
    /// </summary>
    public UInt128 CyclesBalance(Principal canister) => Canister(canister).Canister is HostedCanister hosted ? hosted.Cycles : 0;

    /// <summary>
    /// Adds cycles to a canister through the management canister's <c>provisional_top_up_canister</c>, executed by
    /// every replica like any update (an impersonated ingress message), and returns the new balance. Throws
    /// <see cref="PocketIcException"/> for an unknown or built-in canister.
    /// </summary>
    public async Task<UInt128> AddCyclesAsync(Principal canister, UInt128 amount, CancellationToken cancellationToken)
    {
        if (Canister(canister).Canister is not HostedCanister)
        {
            throw PocketIcException.BadRequest($"canister {canister} is built into this server (Internet Identity, whoami or an assets canister): it keeps no cycles balance");
        }

        byte[] arg = CandidArgs.Encode(new TopUpArgs(CandidPrincipal.FromPrincipal(canister), amount));
        (RequestId? id, _) = await SubmitAsync(Principal.Anonymous, Principal.ManagementCanister, "provisional_top_up_canister", arg, cancellationToken)
            .ConfigureAwait(false);
        RequestStatus status = await AwaitAsync(id!.Value, cancellationToken).ConfigureAwait(false);
        if (!status.IsReplied)
        {
            throw PocketIcException.BadRequest($"adding cycles to {canister} failed: {status.RejectMessage}");
        }

        return CyclesBalance(canister);
    }

    /// <summary>Stable memory is set in chunks of this many bytes, each one impersonated ingress message (the limit is 2 MiB).</summary>
    public const int StableMemoryChunkBytes = 1024 * 1024;

    /// <summary>
    /// A wasm canister's whole stable memory on the newest certified state of replica 0. Throws
    /// <see cref="PocketIcException"/> for an unknown, built-in or empty canister.
    /// </summary>
    public byte[] GetStableMemory(Principal canister)
    {
        Hosted(canister);
        return Replica0.StableMemory(canister)
            ?? throw PocketIcException.BadRequest($"canister {canister} has no stable memory at the newest certified height: it is empty (no module installed) or not certified yet");
    }

    /// <summary>
    /// Replaces a wasm canister's stable memory with <paramref name="data"/> (its size the 64 KiB pages that hold it), as
    /// every replica executes it: the management canister's test-only <c>pocket_ic_set_stable_memory</c>, which only
    /// impersonated calls reach, in chunks of <see cref="StableMemoryChunkBytes"/>. Throws <see cref="PocketIcException"/>
    /// for an unknown, built-in or empty canister.
    /// </summary>
    public async Task SetStableMemoryAsync(Principal canister, byte[] data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        Hosted(canister);
        int offset = 0;
        do
        {
            int length = Math.Min(StableMemoryChunkBytes, data.Length - offset);
            byte[] arg = CandidArgs.Encode(new SetStableMemoryArgs(CandidPrincipal.FromPrincipal(canister), (ulong)offset, data[offset..(offset + length)],
                (ulong)data.Length));
            (RequestId? id, _) = await SubmitAsync(Principal.Anonymous, Principal.ManagementCanister, ManagementCanister.SetStableMemory, arg, cancellationToken)
                .ConfigureAwait(false);
            RequestStatus status = await AwaitAsync(id!.Value, cancellationToken).ConfigureAwait(false);
            if (!status.IsReplied)
            {
                throw PocketIcException.BadRequest($"setting the stable memory of {canister} failed: {status.RejectMessage}");
            }

            offset += length;
        }
        while (offset < data.Length);
    }

    // A wasm canister (created through the management canister), or PocketIC's error for any other.
    private HostedCanister Hosted(Principal canister) => Canister(canister).Canister as HostedCanister
        ?? throw PocketIcException.BadRequest($"canister {canister} is built into this server (Internet Identity, whoami or an assets canister): it has no wasm stable memory to read or set");

    /// <summary>The canister with this id on replica 0; throws <see cref="PocketIcException"/> <c>CanisterNotFound</c> when there is none.</summary>
    public InstalledCanister Canister(Principal canister) =>
        Replica0.Canister(canister) ?? throw PocketIcException.BadRequest($"CanisterNotFound({canister})");

    /// <summary>Stops auto progress and every replica.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAutoProgressAsync().ConfigureAwait(false);
        await Subnet.DisposeAsync().ConfigureAwait(false);
    }

    // PocketIC: a time before the instance's is an error naming both; an equal time does nothing.
    private bool CheckForward(ulong nanosSinceEpoch)
    {
        ulong now = TimeNanos;
        if (nanosSinceEpoch < now)
        {
            throw PocketIcException.BadRequest($"SettingTimeIntoPast(({now}, {nanosSinceEpoch}))");
        }

        if (nanosSinceEpoch > long.MaxValue)
        {
            throw PocketIcException.BadRequest($"the time {nanosSinceEpoch} ns is beyond what the subnet's clock holds ({long.MaxValue} ns)");
        }

        return nanosSinceEpoch > now;
    }
}
