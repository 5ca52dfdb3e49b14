using System.Security.Cryptography;
using System.Threading.Channels;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;

namespace InternetIdentity.Replica.Ordering;

/// <summary>
/// In-process ordering without consensus: one sequencer cuts a batch a few milliseconds after messages arrive (and an
/// empty one every heartbeat so that <c>/time</c> stays fresh), stamps it with the injected clock and OS randomness,
/// and hands the same batch to every subscribed replica. Stands in for the consensus actor.
/// </summary>
public sealed class LocalOrdering : IIngressOrdering, IAsyncDisposable
{
    /// <summary>The most messages one batch holds.</summary>
    public const int MaxBatchMessages = 1000;

    private readonly TimeProvider _time;
    private readonly TimeSpan _batchDelay;
    private readonly TimeSpan _heartbeat;
    private readonly Channel<Batch>[] _subscribers;
    private readonly Lock _gate = new();
    private readonly List<IngressMessage> _pending = [];
    private readonly HashSet<RequestId> _pendingIds = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private ulong _height;
    private ulong _lastTime;

    /// <summary>An ordering for <paramref name="replicas"/> replicas.</summary>
    public LocalOrdering(int replicas, TimeProvider time, TimeSpan? batchDelay = null, TimeSpan? heartbeat = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _batchDelay = batchDelay ?? TimeSpan.FromMilliseconds(2);
        _heartbeat = heartbeat ?? TimeSpan.FromSeconds(1);
        _subscribers = [.. Enumerable.Range(0, replicas).Select(_ => Channel.CreateUnbounded<Batch>(new UnboundedChannelOptions { SingleReader = true }))];
    }

    /// <summary>The height of the last batch cut.</summary>
    public ulong Height => Interlocked.Read(ref _height);

    /// <inheritdoc/>
    public bool Submit(IngressMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (!_pendingIds.Add(message.Id))
            {
                return false;
            }

            _pending.Add(message);
        }

        _arrived.Release();
        return true;
    }

    /// <inheritdoc/>
    public ChannelReader<Batch> Subscribe(int replicaIndex) => _subscribers[replicaIndex].Reader;

    /// <summary>Starts cutting batches (the first one at once, so replicas certify a state quickly).</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            CutBatch();
            while (!ct.IsCancellationRequested)
            {
                if (await _arrived.WaitAsync(_heartbeat, ct).ConfigureAwait(false))
                {
                    await Task.Delay(_batchDelay, ct).ConfigureAwait(false);
                }

                while (_arrived.CurrentCount > 0)
                {
                    _arrived.Wait(0, CancellationToken.None);
                }

                CutBatch();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (Channel<Batch> c in _subscribers)
            {
                c.Writer.TryComplete();
            }
        }
    }

    private void CutBatch()
    {
        List<IngressMessage> messages;
        lock (_gate)
        {
            messages = [.. _pending.Take(MaxBatchMessages)];
            _pending.RemoveRange(0, messages.Count);
            foreach (IngressMessage m in messages)
            {
                _pendingIds.Remove(m.Id);
            }

            if (_pending.Count > 0)
            {
                _arrived.Release();
            }
        }

        ulong now = (ulong)(_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        _lastTime = Math.Max(now, _lastTime + 1);
        var batch = new Batch(Interlocked.Increment(ref _height), _lastTime, RandomNumberGenerator.GetBytes(32), messages);
        foreach (Channel<Batch> c in _subscribers)
        {
            c.Writer.TryWrite(batch);
        }
    }

    /// <summary>Stops cutting batches and completes the subscriptions.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _arrived.Dispose();
    }
}
