using System.Text;
using InternetIdentity.Protocol.HashTrees;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// Where the asset trees sit in a canister's certified-data tree, so that its witnesses reveal the right part and
/// prune the rest. The tree is built from forks, the two asset subtrees (<c>labeled("http_assets", v1)</c> and
/// <c>labeled("http_expr", v2)</c>, each exactly once) and pruned hashes of everything else; labels must appear in
/// increasing order left to right, as in any hash tree. II's layout is
/// <c>Fork(Fork(AssetsV1, AssetsV2), LabeledHash("sig", signatureMapRoot))</c> = <see cref="AssetsWith"/>.
/// </summary>
public sealed class CertifiedTreeLayout
{
    private enum Kind
    {
        AssetsV1,
        AssetsV2,
        Fork,
        Pruned,
    }

    private readonly Kind _kind;
    private readonly CertifiedTreeLayout? _left;
    private readonly CertifiedTreeLayout? _right;
    private readonly byte[]? _hash;

    private CertifiedTreeLayout(Kind kind, CertifiedTreeLayout? left = null, CertifiedTreeLayout? right = null, byte[]? hash = null)
    {
        _kind = kind;
        _left = left;
        _right = right;
        _hash = hash;
    }

    /// <summary>The v1 subtree, <c>labeled("http_assets", ...)</c>.</summary>
    public static CertifiedTreeLayout AssetsV1 { get; } = new(Kind.AssetsV1);

    /// <summary>The v2 subtree, <c>labeled("http_expr", ...)</c>.</summary>
    public static CertifiedTreeLayout AssetsV2 { get; } = new(Kind.AssetsV2);

    /// <summary><c>fork(labeled http_assets, labeled http_expr)</c>: the layout of a canister that certifies only its assets.</summary>
    public static CertifiedTreeLayout Assets { get; } = Fork(AssetsV1, AssetsV2);

    /// <summary>A fork of two parts.</summary>
    public static CertifiedTreeLayout Fork(CertifiedTreeLayout left, CertifiedTreeLayout right) =>
        new(Kind.Fork, left ?? throw new ArgumentNullException(nameof(left)), right ?? throw new ArgumentNullException(nameof(right)));

    /// <summary>A part the witnesses always prune, given by its hash.</summary>
    public static CertifiedTreeLayout Pruned(ReadOnlySpan<byte> hash) =>
        hash.Length == 32 ? new(Kind.Pruned, hash: hash.ToArray()) : throw new ArgumentException($"a pruned part is a 32-byte hash, got {hash.Length}", nameof(hash));

    /// <summary>A pruned <c>labeled(label, subtree)</c> given the subtree's root hash.</summary>
    public static CertifiedTreeLayout LabeledHash(Label label, ReadOnlySpan<byte> subtreeRootHash) =>
        Pruned(HashTree.HashLabeledDigest(label.Bytes, subtreeRootHash));

    /// <summary><c>fork(fork(labeled http_assets, labeled http_expr), labeled(label, subtree))</c>, II's certified data with <c>"sig"</c>.</summary>
    public static CertifiedTreeLayout AssetsWith(Label label, ReadOnlySpan<byte> subtreeRootHash) => Fork(Assets, LabeledHash(label, subtreeRootHash));

    /// <summary>The root hash (what the canister sets as certified data) given the roots of the two asset trees.</summary>
    public byte[] RootHash(ReadOnlySpan<byte> assetsV1Root, ReadOnlySpan<byte> assetsV2Root)
    {
        HashTree v1 = HashTree.Pruned(HashTree.HashLabeledDigest(Encoding.UTF8.GetBytes(CertifiedAssets.AssetsV1Label), assetsV1Root));
        HashTree v2 = HashTree.Pruned(HashTree.HashLabeledDigest(Encoding.UTF8.GetBytes(CertifiedAssets.AssetsV2Label), assetsV2Root));
        return Build(v1, v2).DigestArray();
    }

    /// <summary>The tree with the two asset parts put in place (each a labeled witness or a pruned hash).</summary>
    internal HashTree Build(HashTree assetsV1, HashTree assetsV2) => _kind switch
    {
        Kind.AssetsV1 => assetsV1,
        Kind.AssetsV2 => assetsV2,
        Kind.Fork => HashTree.Fork(_left!.Build(assetsV1, assetsV2), _right!.Build(assetsV1, assetsV2)),
        _ => HashTree.Pruned(_hash),
    };

    /// <summary>Throws <see cref="ArgumentException"/> unless each asset part appears exactly once.</summary>
    internal void CheckComplete(string parameter)
    {
        int v1 = Count(Kind.AssetsV1), v2 = Count(Kind.AssetsV2);
        if (v1 != 1 || v2 != 1)
        {
            throw new ArgumentException($"a certified tree layout must hold AssetsV1 and AssetsV2 once each, this one holds them {v1} and {v2} times", parameter);
        }
    }

    private int Count(Kind kind) => _kind == kind ? 1 : _kind == Kind.Fork ? _left!.Count(kind) + _right!.Count(kind) : 0;
}
