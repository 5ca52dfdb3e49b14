using System.Collections.Concurrent;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.State;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// One replica's replicated state and the deterministic execution of finalized batches: each message runs through its
/// canister with the batch's time and randomness; expiry and duplicates are re-checked against the batch; a canister
/// that throws is rolled back (from a snapshot taken once per batch, or by itself when it is transactional) and the
/// call gets reject code 5. Request statuses are forgotten once their expiry has
/// passed (a replay after that is refused by the expiry check). Not thread-safe: the replica serialises access, except
/// to <see cref="Status"/>.
/// </summary>
public sealed class ExecutionState : IDisposable
{
    private readonly CanisterTable _canisters;
    // Concurrent so that the gateway may look statuses up while a batch executes (everything else is single-threaded).
    private readonly ConcurrentDictionary<RequestId, RequestStatus> _statuses = [];
    private readonly PriorityQueue<RequestId, ulong> _byExpiry = new();
    private readonly IncrementalStateTree _tree = new();
    private readonly ManagementCanister _management;
    private readonly List<StatusSegment> _sealed = []; // the statuses recorded up to the last seal, for checkpoints
    private List<RecordedStatus> _open = []; // those recorded since

    /// <summary>
    /// A state holding the given (built-in) canisters at height 0, on <paramref name="subnet"/> (by default an unnamed
    /// subnet with the local network's canister range), where the management canister creates further canisters.
    /// </summary>
    public ExecutionState(IEnumerable<InstalledCanister> canisters, ulong genesisTimeNanos, SubnetEnvironment? subnet = null)
    {
        ArgumentNullException.ThrowIfNull(canisters);
        _canisters = new CanisterTable(canisters, subnet ?? new SubnetEnvironment(Principal.ManagementCanister, [], Genesis.GenesisConfig.CanisterRanges));
        TimeNanos = genesisTimeNanos;
        _management = new ManagementCanister(_canisters);
        Messaging = new CanisterMessaging(_canisters, _management);
    }

    /// <summary>
    /// Whether hosted canisters pay the IC's fees for what they execute (<see cref="CyclesCharging"/>; off by default).
    /// It changes the replicated state: every replica of a subnet must have the same setting, from before its first batch.
    /// </summary>
    public bool ChargeCycles
    {
        get => Messaging.Charging.Enabled;
        set => Messaging.Charging.Enabled = value;
    }

    /// <summary>The messages between canisters (queued calls and responses, call contexts waiting on them).</summary>
    public CanisterMessaging Messaging { get; }

    /// <summary>The subnet's canisters (built-in and created).</summary>
    public CanisterTable Table => _canisters;

    /// <summary>The management canister (<c>aaaaa-aa</c>) of this state, with the canister snapshots it keeps.</summary>
    public ManagementCanister Management => _management;

    /// <summary>The height of the last executed batch.</summary>
    public ulong Height { get; private set; }

    /// <summary>The time of the last executed batch.</summary>
    public ulong TimeNanos { get; private set; }

    /// <summary>The installed canisters.</summary>
    public IEnumerable<InstalledCanister> Canisters => _canisters.All;

    /// <summary>The canister with an id, or null.</summary>
    public InstalledCanister? Canister(Principal id) => _canisters.Find(id);

    /// <summary>The status of a request still in the ingress history, or null (safe to call while a batch executes).</summary>
    public RequestStatus? Status(RequestId id) => _statuses.GetValueOrDefault(id);

    /// <summary>The number of request statuses held.</summary>
    public int StatusCount => _statuses.Count;

    /// <summary>The request statuses held, in no particular order.</summary>
    public IEnumerable<RequestStatus> Statuses => _statuses.Values;

    /// <summary>
    /// How many heights the statuses of one <see cref="StatusSegment"/> span: the statuses recorded since the last seal
    /// are sealed after every height that is a multiple of it (the default catch-up interval, so that a checkpoint finds
    /// every status but none sealed already). Part of what makes checkpoints byte-identical across replicas: never change
    /// it on a running subnet.
    /// </summary>
    public const ulong StatusSegmentHeights = 100;

    /// <summary>The sealed status segments still holding a status that may be held, oldest first (for checkpoints).</summary>
    internal IReadOnlyList<StatusSegment> SealedStatuses => _sealed;

    /// <summary>The statuses recorded since the last seal, in the order recorded (for checkpoints).</summary>
    internal IReadOnlyList<RecordedStatus> OpenStatuses => _open;

    /// <summary>
    /// Replaces the height, time and request statuses with a checkpoint's: <paramref name="statuses"/> those held, the
    /// segments and open statuses as the checkpoint records them; <see cref="ExecutionCheckpoint"/> restores the canisters
    /// itself, and calls this last, once nothing can fail any more.
    /// </summary>
    internal void ResetTo(ulong height, ulong timeNanos, IEnumerable<RequestStatus> statuses, IEnumerable<StatusSegment> sealedStatuses,
        IEnumerable<RecordedStatus> openStatuses)
    {
        _statuses.Clear();
        _byExpiry.Clear();
        foreach (RequestStatus s in statuses)
        {
            if (!_statuses.TryAdd(s.Id, s))
            {
                throw new ArgumentException($"request {s.Id} has two statuses", nameof(statuses));
            }

            _byExpiry.Enqueue(s.Id, s.ExpiryNanos);
        }

        _tree.ResetStatuses(_statuses.Values); // the incremental tree must not keep a status of the replaced state
        _sealed.Clear();
        _sealed.AddRange(sealedStatuses);
        _open = [.. openStatuses];
        Height = height;
        TimeNanos = timeNanos;
    }

    /// <summary>Executes the next batch; returns the statuses it produced, in order.</summary>
    /// <exception cref="ArgumentException">the batch is not the next height.</exception>
    public IReadOnlyList<RequestStatus> Execute(Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Height != Height + 1)
        {
            throw new ArgumentException($"batch height {batch.Height} does not follow height {Height}", nameof(batch));
        }

        if (batch.Randomness.Length != 32)
        {
            throw new ArgumentException("batch randomness must be 32 bytes", nameof(batch));
        }

        // Time strictly increases, by at least 1 ns a height (the IC's guarantee, and PocketIC's tick), even when block
        // times are equal (a frozen clock, two blocks in one nanosecond) or a block maker's clock goes backwards. Derived
        // here from the chain alone, every replica agrees without trusting any maker's clock.
        ulong time = Math.Max(batch.TimeNanos, TimeNanos + 1);
        Height = batch.Height;
        TimeNanos = time;
        Prune(time);
        var results = new List<RequestStatus>();
        var rollback = new Dictionary<Principal, RollbackLog>();
        for (int i = 0; i < batch.Messages.Count; i++)
        {
            IngressMessage m = batch.Messages[i];
            if (m.ExpiryNanos < time || m.ExpiryNanos - time > IngressLimits.MaxExpiryAheadNanos || _statuses.ContainsKey(m.Id) || Messaging.IsPending(m.Id))
            {
                continue; // expired, out of window, or already executed: never executed (again)
            }

            if (m.CanisterId != Principal.ManagementCanister && _canisters.Find(m.CanisterId)?.Canister is HostedCanister hosted && Refused(hosted) is null)
            {
                var answered = new List<RequestStatus>();
                Messaging.RunIngress(m, hosted, time, answered);
                answered.ForEach(a => Record(a, results));
                continue;
            }

            Record(Run(m, time, MessageRandomness(batch.Randomness, i), rollback), results);
        }

        var delivered = new List<RequestStatus>();
        Messaging.EndBatch(time, batch.Randomness, batch.Messages.Count, delivered);
        delivered.ForEach(a => Record(a, results));
        if (Height % StatusSegmentHeights == 0)
        {
            SealStatuses();
        }

        return results;
    }

    private void Record(RequestStatus status, List<RequestStatus> results)
    {
        _statuses[status.Id] = status;
        _tree.AddStatus(status);
        _byExpiry.Enqueue(status.Id, status.ExpiryNanos);
        _open.Add(new RecordedStatus(Height, status));
        results.Add(status);
    }

    /// <summary>
    /// Whether a state at <paramref name="height"/> and <paramref name="timeNanos"/> holds a status recorded at
    /// <paramref name="recordedAt"/> that expires at <paramref name="expiryNanos"/>: one recorded at the height always,
    /// an earlier one while its expiry is not before the time (each batch prunes before it records, see Prune).
    /// </summary>
    internal static bool Holds(ulong recordedAt, ulong expiryNanos, ulong height, ulong timeNanos) => recordedAt == height || expiryNanos >= timeNanos;

    // The open statuses become a segment; segments none of whose statuses the state can still hold go (the latest
    // recorded and the latest expiring status of a segment decide it).
    private void SealStatuses()
    {
        if (_open.Count > 0)
        {
            _sealed.Add(new StatusSegment([.. _open]));
            _open = [];
        }

        _sealed.RemoveAll(s => !Holds(s.LastHeight, s.MaxExpiryNanos, Height, TimeNanos));
    }

    private RequestStatus Run(IngressMessage m, ulong time, byte[] randomness, Dictionary<Principal, RollbackLog> rollback)
    {
        if (m.CanisterId == Principal.ManagementCanister)
        {
            return RunManagement(m, time, randomness, rollback);
        }

        if (_canisters.Find(m.CanisterId) is not { } installed)
        {
            return RequestStatus.Rejected(m.Id, m.Sender, m.CanisterId, m.ExpiryNanos, (int)RejectCode.DestinationInvalid,
                $"Canister {m.CanisterId} not found", "IC0301");
        }

        if (installed.Canister is HostedCanister hosted && Refused(hosted) is { } refused)
        {
            return StatusOf(m, refused);
        }

        // The status keeps the canister's own id rather than the envelope's copy of it: one object fewer per status held.
        m = ReferenceEquals(m.CanisterId, installed.Id) ? m : m with { CanisterId = installed.Id };
        var context = new CallContext(m.Sender.ToArray(), time, randomness, m.CanisterId.ToArray());
        bool transactional = installed.Canister.IsTransactional;
        RollbackLog? log = null;
        if (!transactional && !rollback.TryGetValue(m.CanisterId, out log))
        {
            log = new RollbackLog((installed.Canister as ICanisterSnapshots)?.Snapshot());
            rollback.Add(m.CanisterId, log);
        }

        CanisterReply reply;
        try
        {
            reply = installed.Canister.Update(context, m.MethodName, m.Arg);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (log is not null)
            {
                RollBack(installed, log);
            }

            return Trapped(m, e);
        }

        try
        {
            CanisterContract.CheckCertifiedData(installed.Canister.CertifiedData);
        }
        catch (InvalidOperationException e)
        {
            if (log is null)
            {
                // A transactional canister promised valid certified data and has already committed: nothing to restore.
                throw new InvalidOperationException($"transactional canister {m.CanisterId} broke the canister contract: {e.Message}", e);
            }

            RollBack(installed, log);
            return Trapped(m, e);
        }

        log?.Calls.Add((context, m.MethodName, m.Arg));
        return StatusOf(m, reply);
    }

    // A stopped or stopping canister takes no messages; an empty one has nothing to run them (the IC's texts).
    internal static CanisterReply? Refused(HostedCanister hosted) => hosted.Status switch
    {
        Protocol.Management.CanisterRunStatus.Stopped => CanisterReply.Reject(RejectCode.CanisterError, $"Canister {hosted.Id} is stopped", "IC0508"),
        Protocol.Management.CanisterRunStatus.Stopping => CanisterReply.Reject(RejectCode.CanisterError, $"Canister {hosted.Id} is stopping", "IC0509"),
        _ => hosted.Wasm is null ? hosted.EmptyReject() : null,
    };

    private RequestStatus RunManagement(IngressMessage m, ulong time, byte[] randomness, Dictionary<Principal, RollbackLog> rollback)
    {
        CanisterReply reply;
        try
        {
            reply = _management.Execute(m.Sender, time, m.MethodName, m.Arg, randomness, testMethods: m.Impersonated);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Trapped(m, e);
        }

        // A loaded snapshot replaced the canister's state: an earlier call's rollback log of this batch no longer applies.
        if (reply is CanisterReply.Replied && ManagementCanister.TryGetEffectiveCanister(m.MethodName, m.Arg, out Principal? target, out _) && target is not null)
        {
            rollback.Remove(target);
        }

        return StatusOf(m, reply);
    }

    internal static RequestStatus StatusOf(IngressMessage m, CanisterReply reply) => reply switch
    {
        CanisterReply.Replied r => RequestStatus.Replied(m.Id, m.Sender, m.CanisterId, m.ExpiryNanos, r.Candid.ToArray()),
        CanisterReply.Rejected r => RequestStatus.Rejected(m.Id, m.Sender, m.CanisterId, m.ExpiryNanos, (int)r.Code, r.Message, r.ErrorCode),
        _ => throw new InvalidOperationException("unknown canister reply " + reply.GetType().Name),
    };

    private static RequestStatus Trapped(IngressMessage m, Exception e) =>
        RequestStatus.Rejected(m.Id, m.Sender, m.CanisterId, m.ExpiryNanos, (int)RejectCode.CanisterError,
            $"Canister {m.CanisterId} trapped: {e.Message}", "IC0503");

    // Restores the canister to the start of the batch, then replays the calls of this batch that succeeded before.
    private static void RollBack(InstalledCanister installed, RollbackLog log)
    {
        if (log.Snapshot is null || installed.Canister is not ICanisterSnapshots snapshots)
        {
            return;
        }

        snapshots.Restore(log.Snapshot);
        foreach ((CallContext context, string method, byte[] arg) in log.Calls)
        {
            installed.Canister.Update(context, method, arg);
        }
    }

    /// <summary>The randomness of message <paramref name="index"/>: SHA-256 of the batch randomness and the index.</summary>
    public static byte[] MessageRandomness(ReadOnlySpan<byte> batchRandomness, int index)
    {
        Span<byte> input = stackalloc byte[36];
        batchRandomness.CopyTo(input);
        BitConverter.TryWriteBytes(input[32..], index);
        return Sha256.HashData(input);
    }

    private void Prune(ulong time)
    {
        while (_byExpiry.TryPeek(out RequestId id, out ulong expiry) && expiry < time)
        {
            _byExpiry.Dequeue();
            _statuses.TryRemove(id, out _);
            _tree.RemoveStatus(id);
        }
    }

    /// <summary>The state tree of the current state (the same tree as <see cref="StateTree.Build"/>, built incrementally).</summary>
    public LabeledTree BuildTree(SubnetTopology subnet)
    {
        if (_tree.StatusCount != _statuses.Count)
        {
            _tree.ResetStatuses(_statuses.Values); // statuses were set some other way (e.g. restored): start over
        }

        return _tree.Build(TimeNanos, subnet, _canisters.All.Select(View));
    }

    /// <summary>What the state tree shows of a canister.</summary>
    public static CanisterStateView View(InstalledCanister c)
    {
        ArgumentNullException.ThrowIfNull(c);
        ICanister k = c.Canister;
        return new CanisterStateView(
            c.Id,
            k.CertifiedData.ToArray(),
            k.ModuleHash.IsEmpty ? null : k.ModuleHash.ToArray(),
            c.Controllers,
            k.Metadata);
    }

    /// <inheritdoc/>
    public void Dispose() => _canisters.Dispose();

    private sealed record RollbackLog(byte[]? Snapshot)
    {
        public List<(CallContext Context, string Method, byte[] Arg)> Calls { get; } = [];
    }
}
