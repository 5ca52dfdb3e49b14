using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Simulation;

/// <summary>
/// The safety and liveness invariants of ICC-lite, checked incrementally after every step over the honest replicas'
/// outputs: one finalized block per height, chains that are prefixes of each other, no notarized sibling of a
/// finalized block, equal state roots, certified &lt;= finalized &lt;= notarized, progress while healthy, and each
/// request executed at most once and never after its expiry.
/// </summary>
internal sealed class InvariantChecker
{
    private readonly Dictionary<long, Digest> _finalized = [];
    private readonly Dictionary<long, Digest> _explicitlyFinalized = [];
    private readonly Dictionary<long, HashSet<Digest>> _notarized = [];
    private readonly Dictionary<long, byte[]> _roots = [];
    private readonly Dictionary<Digest, long> _executedRequests = [];
    private readonly Dictionary<long, long> _firstFinalizedAt = [];
    private readonly long _livenessWindow;
    private long _maxFinalized;
    private long _lastProgress;

    public InvariantChecker(long livenessWindowMs) => _livenessWindow = livenessWindowMs;

    public string? Violation { get; private set; }

    public long ExecutedRequests => _executedRequests.Count;

    public IReadOnlyDictionary<long, Digest> FinalizedChain => _finalized;

    public IReadOnlyDictionary<long, long> FirstFinalizedAt => _firstFinalizedAt;

    private void Fail(string message) => Violation ??= message;

    public void Finalized(int node, long now, Block b)
    {
        long h = b.Height;
        if (_finalized.TryGetValue(h, out Digest existing))
        {
            if (!existing.Equals(b.Hash))
            {
                Fail($"two finalized blocks at height {h}: {existing.Short} and {b.Hash.Short} (replica {node})");
            }
            return;
        }
        if (h > 1 && _finalized.TryGetValue(h - 1, out Digest parent) && !parent.Equals(b.Parent))
        {
            Fail($"finalized chains diverge: replica {node} finalized {b.Hash.Short} at {h} whose parent is not {parent.Short}");
        }
        _finalized[h] = b.Hash;
        _firstFinalizedAt[h] = now;
        var inBlock = new HashSet<Digest>();
        foreach (IngressMessage m in b.Payload)
        {
            if (!inBlock.Add(m.RequestId) || _executedRequests.ContainsKey(m.RequestId))
            {
                long first = _executedRequests.TryGetValue(m.RequestId, out long f) ? f : h;
                Fail($"request {m.RequestId.Short} executed twice (heights {first} and {h})");
            }
            if (m.ExpiryMs < b.TimeMs)
            {
                Fail($"request {m.RequestId.Short} executed at height {h} after its expiry ({m.ExpiryMs} < block time {b.TimeMs})");
            }
            _executedRequests.TryAdd(m.RequestId, h);
        }
    }

    /// <summary>A finalization proof exists for this block: no other block at its height may be notarized (ICC safety).</summary>
    public void FinalizationReached(long h, Digest hash)
    {
        if (_explicitlyFinalized.TryGetValue(h, out Digest existing))
        {
            if (!existing.Equals(hash))
            {
                Fail($"two blocks with finalizations at height {h}: {existing.Short} and {hash.Short}");
            }
            return;
        }
        _explicitlyFinalized[h] = hash;
        CheckSiblings(h);
    }

    public void Notarized(long h, Digest hash)
    {
        if (!_notarized.TryGetValue(h, out HashSet<Digest>? set))
        {
            _notarized[h] = set = [];
        }
        if (set.Add(hash))
        {
            CheckSiblings(h);
        }
    }

    private void CheckSiblings(long h)
    {
        if (_explicitlyFinalized.TryGetValue(h, out Digest fin) && _notarized.TryGetValue(h, out HashSet<Digest>? set))
        {
            foreach (Digest other in set)
            {
                if (!other.Equals(fin))
                {
                    Fail($"finalized block {fin.Short} at height {h} has a notarized sibling {other.Short}");
                }
            }
        }
    }

    public void Executed(int node, long h, byte[] root)
    {
        if (_roots.TryGetValue(h, out byte[]? existing))
        {
            if (!existing.AsSpan().SequenceEqual(root))
            {
                Fail($"state roots differ at height {h} (replica {node})");
            }
            return;
        }
        _roots[h] = root;
    }

    public void Heights(int node, ConsensusState s)
    {
        if (s.CertifiedHeight > s.FinalizedHeight || s.FinalizedHeight > s.NotarizedHeight)
        {
            Fail($"replica {node}: certified {s.CertifiedHeight} <= finalized {s.FinalizedHeight} <= notarized {s.NotarizedHeight} broken");
        }
        if (s.Halted)
        {
            Fail($"replica {node} halted: its state root disagrees with the certified one");
        }
    }

    /// <summary>Finalization must rise within the liveness window of healthy time (no partition, at most f faults).</summary>
    public void Progress(long now, long maxHonestFinalized, bool healthy, long healthySince)
    {
        if (maxHonestFinalized > _maxFinalized)
        {
            _maxFinalized = maxHonestFinalized;
            _lastProgress = now;
        }
        if (healthy && now - Math.Max(_lastProgress, healthySince) > _livenessWindow)
        {
            Fail($"no finalization for {_livenessWindow} ms of healthy network (stuck at height {_maxFinalized})");
        }
    }

    public void Conflict(int node, long h) =>
        Fail($"replica {node} saw a finalization at height {h} that contradicts its finalized chain");

    public void Stalled(long now, long minHonestFinalized, long target) =>
        Fail($"run ended at {now} ms with an honest replica at height {minHonestFinalized} < {target}");
}
