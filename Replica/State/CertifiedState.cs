using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.HashTrees;

namespace InternetIdentity.Replica.State;

/// <summary>A state tree at a height together with the subnet's threshold signature on its root.</summary>
public sealed class CertifiedState
{
    private byte[]? _fullCertificate;

    /// <summary>Pairs a tree with its combined signature (already verified by <see cref="StateCertification"/>).</summary>
    public CertifiedState(ulong height, ulong timeNanos, LabeledTree tree, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(signature);
        Height = height;
        TimeNanos = timeNanos;
        Tree = tree;
        Signature = signature;
    }

    /// <summary>The height whose state this is.</summary>
    public ulong Height { get; }

    /// <summary>The state's <c>/time</c>.</summary>
    public ulong TimeNanos { get; }

    /// <summary>The full labeled tree.</summary>
    public LabeledTree Tree { get; }

    /// <summary>The 48-byte BLS signature on <c>\x0Dic-state-root</c> || root.</summary>
    public byte[] Signature { get; }

    /// <summary>A certificate revealing <c>/time</c> and everything under each path (all else pruned).</summary>
    public Certificate CertificateFor(IEnumerable<IReadOnlyList<Label>> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        List<IReadOnlyList<Label>> all = [.. paths, new Label[] { "time" }];
        return new Certificate(Tree.Witness(all), Signature);
    }

    /// <summary>The encoded certificate of the whole tree (what canisters get as their data certificate).</summary>
    public byte[] FullCertificate => _fullCertificate ??= new Certificate(Tree.ToHashTree(), Signature).Encode();
}
