using System.Collections.Concurrent;
using System.Threading.Channels;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Gateway;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Metrics;
using InternetIdentity.Replica.Ordering;
using InternetIdentity.Replica.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ConsensusIngress = InternetIdentity.Consensus.Messages.IngressMessage;

namespace InternetIdentity.Replica.Node;

/// <summary>
/// One replica's execution: takes consensus decisions in order, executes each finalized block as it comes, reports
/// its state root back (consensus signs the certification share), keeps the state tree of every executed height until
/// a certification covers it, and serves queries and certified reads from the newest certified state. A replica that
/// catches up may never see the certification of some heights, so it never waits for one before executing the next
/// block. Queries to canisters with an immutable state (<see cref="ICanisterQueryView"/>) run without any lock on the
/// view kept for the newest certified height; others wait for the lock, which execution holds briefly after a height
/// while it is uncertified and nothing else is queued, so that they normally run on the state the certificate covers.
/// </summary>
public sealed class ReplicaNode : IAsyncDisposable
{
    private readonly ExecutionState _state;
    private readonly IIngressOrdering _ordering;
    private readonly IStateSync _stateSync;
    private readonly ILogger _log;
    private readonly SortedDictionary<ulong, (LabeledTree Tree, ulong TimeNanos, QueryViews Views)> _uncertified = [];
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _nextCertification = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile CertifiedState? _latest;
    private volatile QueryViews? _latestViews;
    private Task? _loop;
    private Task? _peerIngressLoop;

    /// <summary>
    /// A replica of the subnet <paramref name="config"/> describes, running the given canisters, ordered by
    /// <paramref name="ordering"/>; <paramref name="stateSync"/> restores the state when consensus jumps to a catch-up
    /// package (without one, such a jump stops the replica with a reason).
    /// </summary>
    public ReplicaNode(GenesisConfig config, IEnumerable<InstalledCanister> canisters, IIngressOrdering ordering, TimeProvider time,
        IStateSync? stateSync = null, ILogger? log = null)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        _ordering = ordering ?? throw new ArgumentNullException(nameof(ordering));
        _stateSync = stateSync ?? new NoStateSync();
        Time = time ?? throw new ArgumentNullException(nameof(time));
        _log = log ?? NullLogger.Instance;
        Topology = SubnetTopology.From(config);
        _state = new ExecutionState(canisters, 0, new SubnetEnvironment(config.SubnetId, config.RootKeyDer, GenesisConfig.CanisterRanges));
    }

    /// <summary>The replica's configuration.</summary>
    public GenesisConfig Config { get; }

    /// <summary>Request signatures this replica verified (at its gateway or as peers' calls arrived), not checked again at execution.</summary>
    public SignatureCache Signatures { get; init; } = new();

    /// <summary>Where the replica records its metrics (none when null).</summary>
    public ReplicaMetrics? Metrics
    {
        get => _metrics;
        init
        {
            _metrics = value;
            _latency = value is null ? null : new UpdateLatencyTracker(value);
        }
    }

    private readonly ReplicaMetrics? _metrics;
    private readonly UpdateLatencyTracker? _latency;

    /// <summary>The subnet as the state tree shows it.</summary>
    public SubnetTopology Topology { get; }

    /// <summary>The host clock (injected so tests can move it).</summary>
    public TimeProvider Time { get; }

    /// <summary>The newest certified state, or null before the first certification.</summary>
    public CertifiedState? Latest => _latest;

    /// <summary>Why the replica stopped, if it did.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>Why the replica is not healthy now (it stopped, or its consensus journal failed), or null.</summary>
    public string? HealthProblem => Fault is { } fault ? "the replica stopped: " + fault.Message : _ordering.HealthProblem;

    /// <summary>
    /// How many heights the certified height may lag the height an honest peer reached before the replica reports
    /// <c>certified_state_behind</c> (default 200: two catch-up intervals of 100).
    /// </summary>
    public long BehindThreshold { get; init; } = 200;

    /// <summary>
    /// The <c>replica_health_status</c> of <c>/api/v2/status</c> in the IC's terms, with the reason when not healthy:
    /// <c>certified_state_behind</c> when the replica stopped or cannot persist, or when its certified state is more than
    /// <see cref="BehindThreshold"/> heights behind what its peers vouch for (it answers queries from stale state);
    /// <c>waiting_for_certified_state</c> before its first certification; else <c>healthy</c>.
    /// </summary>
    public (string Status, string? Reason) Health
    {
        get
        {
            if (HealthProblem is { } problem)
            {
                return ("certified_state_behind", problem);
            }

            if (Latest is not { } latest)
            {
                return ("waiting_for_certified_state", "no certified state yet");
            }

            long vouched = _ordering.VouchedPeerHeight;
            if (vouched - (long)latest.Height > BehindThreshold)
            {
                return ("certified_state_behind",
                    $"certified height {latest.Height} is more than {BehindThreshold} heights behind height {vouched}, which an honest peer reached: queries are answered from stale state while the replica catches up");
            }

            return ("healthy", null);
        }
    }

    /// <summary>Completes with the reason when the replica stops on its own (never when it is disposed).</summary>
    public Task<Exception> Halted => _halted.Task;

    private readonly TaskCompletionSource<Exception> _halted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The current host time in nanoseconds since the epoch.</summary>
    public ulong NowNanos => (ulong)(Time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;

    /// <summary>How long queries are held back for the certification of the newest executed height.</summary>
    public static TimeSpan CertificationWait { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The height of the last executed block.</summary>
    public ulong ExecutedHeight => Volatile.Read(ref _executedHeight);

    private ulong _executedHeight;

    /// <summary>Starts consuming consensus decisions.</summary>
    public void Start()
    {
        _loop ??= Task.Run(() => RunAsync(_stop.Token));
        _peerIngressLoop ??= Task.Run(() => CheckPeerIngressAsync(_stop.Token));
    }

    // Peers' calls are checked as they arrive, as the gateway checks a client's, before consensus may pool them; their
    // signatures are remembered, so execution re-checks only what depends on the block.
    private async Task CheckPeerIngressAsync(CancellationToken ct)
    {
        ChannelReader<GossipedIngress> peerIngress = _ordering.PeerIngress;
        try
        {
            while (await peerIngress.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (peerIngress.TryRead(out GossipedIngress? ingress))
                {
                    long start = System.Diagnostics.Stopwatch.GetTimestamp();
                    // An impersonated call (PocketIC's API, only on a subnet that allows them) carries no signature to check.
                    GatewayError? error = ImpersonationAllowed && ingress.Message.Content.AsSpan().StartsWith(BlockBatches.ImpersonatedPrefix)
                        ? (BlockBatches.TryDecode(ingress.Message.Content, NowNanos, Config.RootKeyDer, out _, Signatures, impersonationAllowed: true)
                            ? null
                            : GatewayError.BadRequest("a malformed or expired impersonated call"))
                        : RequestValidation.CheckGossipedCall(ingress.Message.Content, ingress.Message.ExpiryMs, NowNanos, Config.RootKeyDer, Signatures);
                    _metrics?.SignaturesChecked("peer_ingress", 1, System.Diagnostics.Stopwatch.GetElapsedTime(start));
                    if (error is not null)
                    {
                        _log.LogDebug("replica {Index}: a call gossiped by replica {Peer} refused: {Reason}", Config.NodeIndex, ingress.From, error.Message);
                    }

                    _ordering.PeerIngressChecked(ingress, error is null);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether a canister with this id is installed.</summary>
    public bool HasCanister(Principal id) => _state.Canister(id) is not null;

    /// <summary>The installed canister with this id (for its controllers and metadata), or null.</summary>
    public InstalledCanister? Canister(Principal id) => _state.Canister(id);

    /// <summary>
    /// Offers an authenticated call (its signed envelope) for ordering. True when it was handed to consensus; false when
    /// it was already executed within its expiry window (it will not run twice; consensus also drops duplicates).
    /// </summary>
    public async Task<bool> SubmitAsync(RequestId id, byte[] envelope, ulong ingressExpiryNanos, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        cancellationToken.ThrowIfCancellationRequested();
        if (_state.Status(id) is not null)
        {
            return false;
        }

        _latency?.Submitted(id);
        _ordering.Submit(BlockBatches.ToIngress(envelope, ingressExpiryNanos));
        return true;
    }

    /// <summary>
    /// Whether this replica executes impersonated calls (a subnet setting of PocketIC's API: every replica of the subnet
    /// must agree on it, so only <see cref="Hosting.LocalSubnet"/> sets it, for all of them; never <c>iinet up</c> or <c>iinet node</c>).
    /// </summary>
    public bool ImpersonationAllowed { get; init; }

    /// <summary>Whether hosted canisters pay the IC's fees (<see cref="ExecutionState.ChargeCycles"/>); every replica of a subnet must agree.</summary>
    public bool ChargeCycles
    {
        get => _state.ChargeCycles;
        init => _state.ChargeCycles = value;
    }

    /// <summary>
    /// Offers an impersonated call (sender as written, no signature) for ordering, as <see cref="SubmitAsync"/> does;
    /// throws InvalidOperationException when the subnet does not allow impersonation.
    /// </summary>
    public Task<bool> SubmitImpersonatedAsync(RequestContent call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!ImpersonationAllowed)
        {
            throw new InvalidOperationException("this subnet does not allow impersonated calls (only a PocketIC instance does)");
        }

        cancellationToken.ThrowIfCancellationRequested();
        RequestId id = call.ComputeRequestId();
        if (_state.Status(id) is not null)
        {
            return Task.FromResult(false);
        }

        _latency?.Submitted(id);
        _ordering.Submit(BlockBatches.ToImpersonatedIngress(call));
        return Task.FromResult(true);
    }

    /// <summary>The status of a request in the newest certified state (with its sender and canister), or null.</summary>
    public Task<RequestStatus?> StatusAsync(RequestId id, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<RequestStatus?>(cancellationToken) : Task.FromResult(_state.Status(id));

    /// <summary>Waits until the newest certified state holds the request's status; null on timeout.</summary>
    public async Task<CertifiedState?> WaitForStatusAsync(RequestId id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        byte[] label = id.Bytes.ToArray();
        try
        {
            while (true)
            {
                Task next = _nextCertification.Task;
                CertifiedState? latest = _latest;
                if (latest?.Tree.Child("request_status")?.Child(label) is not null)
                {
                    return latest;
                }

                await next.WaitAsync(timeoutSource.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Waits for the first certified state (or a later one than <paramref name="afterHeight"/>).</summary>
    public async Task<CertifiedState> WaitForCertificationAsync(ulong afterHeight, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next = _nextCertification.Task;
            if (_latest is { } latest && latest.Height > afterHeight)
            {
                return latest;
            }

            if (Fault is not null)
            {
                throw new InvalidOperationException("the replica stopped: " + Fault.Message, Fault);
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A wasm canister's stable memory on the newest certified state (PocketIC's <c>get_stable_memory</c>); null when there
    /// is no certified state yet, no such wasm canister at that height, or it has no module.
    /// </summary>
    public byte[]? StableMemory(Principal canisterId) =>
        _latestViews is { } views && views.Canisters.TryGetValue(canisterId, out ICanister? view) && view is HostedCanisterView hosted
            ? hosted.ReadStableMemory()
            : null;

    /// <summary>Runs a query on the newest certified state; null if there is none yet or the canister does not exist.</summary>
    public async Task<CanisterReply?> QueryAsync(Principal caller, Principal canisterId, string method, byte[] arg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(canisterId);

        // A canister with an immutable state answers on the view kept for the certified height, without the lock that
        // execution holds; any other canister is queried between heights, on the executed state.
        QueryViews? views = _latestViews;
        if (views is not null && views.Canisters.TryGetValue(canisterId, out ICanister? view))
        {
            return RunQuery(view, views, caller, canisterId, method, arg);
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            views = _latestViews;
            if (canisterId == Principal.ManagementCanister)
            {
                // Only its read-only methods answer queries (canister_status, fetch_canister_logs).
                return views is null ? null
                    : ManagementCanister.QueryMethods.Contains(method) ? _state.Management.Execute(caller, views.State.TimeNanos, method, arg)
                    : CanisterReply.Reject(RejectCode.DestinationInvalid, $"Management canister has no query method '{method}'", "IC0536");
            }

            InstalledCanister? canister = _state.Canister(canisterId);
            return views is null || canister is null ? null : RunQuery(canister.Canister, views, caller, canisterId, method, arg);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// The IC's ingress filter for a call to a hosted canister: a stopped or empty canister, or one whose
    /// <c>canister_inspect_message</c> traps or does not accept the message, refuses it (the reject); null to let it in.
    /// Runs on the executed state, between heights.
    /// </summary>
    public async Task<CanisterReply?> InspectMessageAsync(Principal sender, Principal canisterId, string method, byte[] arg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(canisterId);
        if (_state.Canister(canisterId)?.Canister is not HostedCanister)
        {
            return null;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state.Canister(canisterId)?.Canister is not HostedCanister hosted)
            {
                return null;
            }

            if (ExecutionState.Refused(hosted) is { } refused)
            {
                return refused;
            }

            var call = new CanisterRuntime.IncomingCall(sender.ToArray(), method, arg, _state.TimeNanos);
            return hosted.Wasm!.InspectMessage(call, out CanisterRuntime.Execution.ExecutionError? error)
                ? null
                : CanisterReply.Reject(error!.ErrorCode.StartsWith("IC04", StringComparison.Ordinal) ? RejectCode.CanisterReject : RejectCode.CanisterError,
                    error.Message(canisterId.ToString()), error.ErrorCode);
        }
        finally
        {
            _lock.Release();
        }
    }

    private static CanisterReply RunQuery(ICanister canister, QueryViews views, Principal caller, Principal canisterId, string method, byte[] arg)
    {
        var context = new QueryContext(caller.ToArray(), views.State.TimeNanos, views.DataCertificate(canisterId), canisterId.ToArray());
        try
        {
            return canister.Query(context, method, arg);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return CanisterReply.Reject(RejectCode.CanisterError, $"Canister {canisterId} trapped: {e.Message}", "IC0503");
        }
    }

    // The query views of the canisters whose state is immutable (ICanisterQueryView), taken after a height executed.
    private Dictionary<Principal, ICanister> TakeQueryViews() =>
        _state.Canisters.Where(c => c.Canister is ICanisterQueryView).ToDictionary(c => c.Id, c => ((ICanisterQueryView)c.Canister).QueryView());

    // A certified state with the canisters' query views at its height and the data certificates made for it.
    private sealed class QueryViews(Dictionary<Principal, ICanister> canisters)
    {
        private readonly ConcurrentDictionary<Principal, byte[]> _dataCertificates = [];

        public Dictionary<Principal, ICanister> Canisters { get; } = canisters;

        public CertifiedState State { get; set; } = null!;

        // What ic0.data_certificate_copy gives: a certificate revealing the canister's certified data and the time.
        public byte[] DataCertificate(Principal canisterId) => _dataCertificates.GetOrAdd(canisterId, id =>
            State.CertificateFor([new Label[] { "canister", id, "certified_data" }]).Encode());
    }

    private async Task RunAsync(CancellationToken ct)
    {
        ChannelReader<ConsensusOutput> decisions = _ordering.Decisions;
        try
        {
            while (await decisions.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                await _lock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    await DrainAsync(decisions, ct).ConfigureAwait(false);
                }
                finally
                {
                    _lock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Fault = e;
            _log.LogError("replica {Index} stopped: {Message}", Config.NodeIndex, e.Message);
            _nextCertification.TrySetResult();
            _halted.TrySetResult(e);
        }
    }

    // Applies what is queued; while the newest executed height is uncertified and nothing else is queued, waits a
    // little (still holding the lock) for its certification, which normally follows within a round.
    private async Task DrainAsync(ChannelReader<ConsensusOutput> decisions, CancellationToken ct)
    {
        while (true)
        {
            if (decisions.TryRead(out ConsensusOutput? decision))
            {
                await ApplyAsync(decision, ct).ConfigureAwait(false);
                continue;
            }

            if (_uncertified.Count == 0)
            {
                return;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(CertificationWait);
            try
            {
                if (!await decisions.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ApplyAsync(ConsensusOutput decision, CancellationToken ct)
    {
        switch (decision)
        {
            case BlockFinalized f:
                await ExecuteAsync(f, ct).ConfigureAwait(false);
                break;
            case CertificationMade c:
                Certify(c.Certification);
                break;
            case CatchUpApplied p:
                await RestoreAsync(p.Package, ct).ConfigureAwait(false);
                break;
        }
    }

    private async Task ExecuteAsync(BlockFinalized finalized, CancellationToken ct)
    {
        ulong height = (ulong)finalized.Proposal.Block.Height;
        if (height <= _state.Height)
        {
            // Executed before: consensus replays its journal after a restart. A restarted actor never saw the root of a
            // height still uncertified (the report went to its predecessor), so it hears it again, or it could never certify.
            if (_uncertified.TryGetValue(height, out (LabeledTree Tree, ulong TimeNanos, QueryViews Views) executed))
            {
                ReportExecuted(height, executed.Tree.Digest.ToArray()); // a pending checkpoint's hash follows from the execution's continuation
            }

            return;
        }

        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        Batch batch = BlockBatches.From(finalized.Proposal, finalized.RandomBeacon, Config.RootKeyDer, Signatures, ImpersonationAllowed);
        RecordExecuted(finalized.Proposal.Block, batch, System.Diagnostics.Stopwatch.GetElapsedTime(start));
        _state.Execute(batch);
        LabeledTree tree = _state.BuildTree(Topology);
        _uncertified[batch.Height] = (tree, _state.TimeNanos, new QueryViews(TakeQueryViews()));
        Volatile.Write(ref _executedHeight, batch.Height);
        byte[] root = tree.Digest.ToArray();
        TakenCheckpoint? checkpoint = await _stateSync.ExecutedAsync(batch.Height, root, _state, ct).ConfigureAwait(false);
        if (checkpoint is not null)
        {
            _lastCheckpoint = (batch.Height, checkpoint);
        }

        if (ReportExecuted(batch.Height, root) && checkpoint is not null)
        {
            // After the report, so consensus hears of the checkpoint after the height it was taken at; decided by what the
            // report said (the store may finish in between, and then this continuation runs at once).
            ulong at = batch.Height;
            _ = checkpoint.Stored.ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    _ordering.ReportCheckpointStored((long)at, t.Result);
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        if (_log.IsEnabled(LogLevel.Debug))
        {
            // With the consensus events at Debug, this places execution and the state tree in a height's timeline.
            _log.LogDebug("replica {Index}: Executed h={Height} calls={Calls} in {Ms:F1} ms", Config.NodeIndex, batch.Height,
                finalized.Proposal.Block.Payload.Length, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }

    // The newest checkpoint, for a report made again to a restarted consensus.
    private (ulong Height, TakenCheckpoint? Checkpoint) _lastCheckpoint;

    // The executed root, with the checkpoint taken at the height: its hash once stored, or that it is still being stored
    // (returns true then: its hash must follow).
    private bool ReportExecuted(ulong height, byte[] root)
    {
        TakenCheckpoint? checkpoint = _lastCheckpoint.Height == height ? _lastCheckpoint.Checkpoint : null;
        if (checkpoint is null || checkpoint.Stored.IsCompletedSuccessfully)
        {
            _ordering.ReportExecuted((long)height, root, checkpoint?.Stored.Result);
            return false;
        }

        _ordering.ReportExecuted((long)height, root, checkpointPending: true);
        return true;
    }

    // Consensus delivers a certification only for a root equal to this replica's own, after verifying the combined
    // signature under the subnet key (or combining it from verified shares).
    private void Certify(Certification certification)
    {
        ulong height = (ulong)certification.Height;
        if (!_uncertified.TryGetValue(height, out (LabeledTree Tree, ulong TimeNanos, QueryViews Views) executed))
        {
            return; // a newer height is certified already
        }

        if (!executed.Tree.Digest.SequenceEqual(certification.StateRoot))
        {
            throw new InvalidOperationException(
                $"the certification of height {height} covers root {Convert.ToHexStringLower(certification.StateRoot)}, not this replica's {Convert.ToHexStringLower(executed.Tree.Digest)}");
        }

        foreach (ulong h in _uncertified.Keys.TakeWhile(h => h <= height).ToList())
        {
            _uncertified.Remove(h);
        }

        _latency?.Certified(height); // before the waiting calls are answered, so a client that got its reply sees it counted
        Publish(new CertifiedState(height, executed.TimeNanos, executed.Tree, certification.Signature), executed.Views);
    }

    private void RecordExecuted(Block block, Batch batch, TimeSpan authentication)
    {
        if (_metrics is null)
        {
            return;
        }

        _metrics.SignaturesChecked("execution", block.Payload.Length, authentication);
        _metrics.BlockExecuted(block.Payload.Length, block.Payload.Sum(m => (long)m.Content.Length), batch.Messages.Count);
        _latency!.Executed(batch.Height, batch.Messages.Select(m => m.Id));
    }

    private async Task RestoreAsync(CatchUpPackage package, CancellationToken ct)
    {
        _log.LogInformation("replica {Index}: restoring the state of the catch-up package at height {Height}", Config.NodeIndex, package.Height);
        await _stateSync.RestoreAsync(package, _state, ct).ConfigureAwait(false);
        LabeledTree tree = _state.BuildTree(Topology);
        if (_state.Height != (ulong)package.Height || !tree.Digest.SequenceEqual(package.Content.StateRoot))
        {
            throw new InvalidOperationException(
                $"state sync to height {package.Height} produced height {_state.Height} with root {Convert.ToHexStringLower(tree.Digest)}, not the certified {Convert.ToHexStringLower(package.Content.StateRoot)}");
        }

        _uncertified.Clear();
        Volatile.Write(ref _executedHeight, _state.Height);
        _latency?.Certified(_state.Height);
        Publish(new CertifiedState(_state.Height, _state.TimeNanos, tree, package.Content.Certification), new QueryViews(TakeQueryViews()));
    }

    private void Publish(CertifiedState state, QueryViews views)
    {
        views.State = state;
        _latestViews = views;
        _latest = state;
        TaskCompletionSource done = Interlocked.Exchange(ref _nextCertification, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        done.TrySetResult();
    }

    /// <summary>Stops the replica.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        if (_peerIngressLoop is not null)
        {
            await _peerIngressLoop.ConfigureAwait(false);
        }

        await _lock.WaitAsync().ConfigureAwait(false); // a query may still be running on a hosted canister
        _state.Dispose();
        _stop.Dispose();
        _lock.Dispose();
    }
}
