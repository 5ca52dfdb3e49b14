using InternetIdentity.ThresholdSigning.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.Replica.State;

/// <summary>
/// Where replicas meet to certify a height: each hands in its signature share on the state root and receives the
/// subnet's combined, verified signature once t shares on the same root are in. The local implementation is
/// <see cref="LocalCertificationExchange"/>; over the network the shares are gossiped by the consensus actor.
/// </summary>
public interface ICertificationExchange
{
    /// <summary>Adds this replica's share and waits for the certification of that height and root.</summary>
    Task<Signature> CertifyAsync(ulong height, byte[] root, SignatureShare share, CancellationToken cancellationToken);
}

/// <summary>In-process certification for replicas in one process: shares are pooled per (height, root) and combined.</summary>
public sealed class LocalCertificationExchange : ICertificationExchange
{
    private const int KeptHeights = 64;
    private readonly ThresholdPublicKey _key;
    private readonly Lock _gate = new();
    private readonly Dictionary<(ulong Height, string Root), Pool> _pools = [];

    /// <summary>An exchange for the subnet's certification key.</summary>
    public LocalCertificationExchange(ThresholdPublicKey key) => _key = key ?? throw new ArgumentNullException(nameof(key));

    /// <inheritdoc/>
    public Task<Signature> CertifyAsync(ulong height, byte[] root, SignatureShare share, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(share);
        Pool pool;
        List<SignatureShare>? ready = null;
        lock (_gate)
        {
            var id = (height, Convert.ToHexString(root));
            if (!_pools.TryGetValue(id, out pool!))
            {
                pool = new Pool();
                _pools.Add(id, pool);
                foreach ((ulong, string) old in _pools.Keys.Where(k => k.Height + KeptHeights < height).ToList())
                {
                    _pools.Remove(old);
                }
            }

            if (!pool.Done && pool.Shares.All(s => s.NodeIndex != share.NodeIndex))
            {
                pool.Shares.Add(share);
                if (pool.Shares.Count >= _key.Threshold)
                {
                    ready = [.. pool.Shares];
                }
            }
        }

        if (ready is not null && StateCertification.TryCombine(_key, root, ready, out Signature? signature, out _))
        {
            lock (_gate)
            {
                pool.Done = true;
            }

            pool.Result.TrySetResult(signature);
        }

        return pool.Result.Task.WaitAsync(cancellationToken);
    }

    private sealed class Pool
    {
        public List<SignatureShare> Shares { get; } = [];

        public TaskCompletionSource<Signature> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Done { get; set; }
    }
}
