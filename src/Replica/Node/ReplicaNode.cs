using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Ordering;
using InternetIdentity.Replica.State;
using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InternetIdentity.Replica.Node;

/// <summary>
/// One replica: takes finalized batches from the ordering, executes them, builds and certifies the state tree with its
/// threshold share, and serves queries and certified reads. Execution and certification of a height happen under one
/// lock, so queries always run on the state the newest certificate covers.
/// </summary>
public sealed class ReplicaNode : IAsyncDisposable
{
    private readonly ExecutionState _state;
    private readonly IIngressOrdering _ordering;
    private readonly ICertificationExchange _certification;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<Principal, byte[]> _dataCertificates = [];
    private TaskCompletionSource _nextCertification = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile CertifiedState? _latest;
    private Task? _loop;

    /// <summary>A replica of the subnet <paramref name="config"/> describes, running the given canisters.</summary>
    public ReplicaNode(GenesisConfig config, IEnumerable<InstalledCanister> canisters, IIngressOrdering ordering, ICertificationExchange certification,
        TimeProvider time, ILogger? log = null)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        _ordering = ordering ?? throw new ArgumentNullException(nameof(ordering));
        _certification = certification ?? throw new ArgumentNullException(nameof(certification));
        Time = time ?? throw new ArgumentNullException(nameof(time));
        _log = log ?? NullLogger.Instance;
        Topology = SubnetTopology.From(config);
        _state = new ExecutionState(canisters, 0);
    }

    /// <summary>The replica's configuration.</summary>
    public GenesisConfig Config { get; }

    /// <summary>The subnet as the state tree shows it.</summary>
    public SubnetTopology Topology { get; }

    /// <summary>The host clock (injected so tests can move it).</summary>
    public TimeProvider Time { get; }

    /// <summary>The newest certified state, or null before the first certification.</summary>
    public CertifiedState? Latest => _latest;

    /// <summary>Why the replica stopped, if it did.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>The current host time in nanoseconds since the epoch.</summary>
    public ulong NowNanos => (ulong)(Time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;

    /// <summary>Starts consuming finalized batches.</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Whether a canister with this id is installed.</summary>
    public bool HasCanister(Principal id) => _state.Canister(id) is not null;

    /// <summary>The installed canister with this id (for its controllers and metadata), or null.</summary>
    public InstalledCanister? Canister(Principal id) => _state.Canister(id);

    /// <summary>
    /// Offers an authenticated update for ordering. True when it was new; false when it is already waiting or was
    /// already executed within its expiry window (it will not run twice).
    /// </summary>
    public async Task<bool> SubmitAsync(IngressMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state.Status(message.Id) is not null)
            {
                return false;
            }
        }
        finally
        {
            _lock.Release();
        }

        return _ordering.Submit(message);
    }

    /// <summary>The status of a request in the newest certified state (with its sender and canister), or null.</summary>
    public async Task<RequestStatus?> StatusAsync(RequestId id, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _state.Status(id);
        }
        finally
        {
            _lock.Release();
        }
    }

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

    /// <summary>Runs a query on the newest certified state; null if there is none yet or the canister does not exist.</summary>
    public async Task<CanisterReply?> QueryAsync(Principal caller, Principal canisterId, string method, byte[] arg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(canisterId);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CertifiedState? latest = _latest;
            InstalledCanister? canister = _state.Canister(canisterId);
            if (latest is null || canister is null)
            {
                return null;
            }

            var context = new QueryContext(caller.ToArray(), latest.TimeNanos, DataCertificate(latest, canisterId), canisterId.ToArray());
            try
            {
                return canister.Canister.Query(context, method, arg);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return CanisterReply.Reject(RejectCode.CanisterError, $"Canister {canisterId} trapped: {e.Message}", "IC0503");
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    // What ic0.data_certificate_copy gives: a certificate revealing the canister's certified data and the time.
    private byte[] DataCertificate(CertifiedState latest, Principal canisterId)
    {
        if (!_dataCertificates.TryGetValue(canisterId, out byte[]? cert))
        {
            cert = latest.CertificateFor([new Label[] { "canister", canisterId, "certified_data" }]).Encode();
            _dataCertificates[canisterId] = cert;
        }

        return cert;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (Batch batch in _ordering.Subscribe(Config.NodeIndex).ReadAllAsync(ct).ConfigureAwait(false))
            {
                await _lock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    await ExecuteAndCertifyAsync(batch, ct).ConfigureAwait(false);
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
            _log.LogError(e, "replica {Index} stopped: {Message}", Config.NodeIndex, e.Message);
            _nextCertification.TrySetResult();
        }
    }

    private async Task ExecuteAndCertifyAsync(Batch batch, CancellationToken ct)
    {
        _state.Execute(batch);
        LabeledTree tree = _state.BuildTree(Topology);
        byte[] root = tree.Digest.ToArray();
        SignatureShare share = StateCertification.SignShare(Config.Certification.Share, root);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        Signature signature;
        try
        {
            signature = await _certification.CertifyAsync(batch.Height, root, share, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidOperationException(
                $"no certification for height {batch.Height} within 30 s: this replica's state root {Convert.ToHexStringLower(root)} may disagree with the other replicas'");
        }

        _latest = new CertifiedState(batch.Height, _state.TimeNanos, tree, signature.ToBytes());
        _dataCertificates.Clear();
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

        _stop.Dispose();
        _lock.Dispose();
    }
}
