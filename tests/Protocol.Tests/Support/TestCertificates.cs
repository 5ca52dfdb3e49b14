using System.Text;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.Protocol.Tests.Support;

/// <summary>Builds signed certificates from labeled state trees with deterministic BLS keys (test-only signer).</summary>
internal static class TestCertificates
{
    public static SecretKey Key(string label) => SecretKey.FromSeed(Encoding.UTF8.GetBytes(("protocol tests " + label).PadRight(32, '.')));

    public static byte[] Der(SecretKey key) => DerPublicKey.EncodeBls(key.PublicKey.ToBytes());

    public static Certificate Sign(SecretKey key, HashTree tree, CertificateDelegation? delegation = null)
    {
        byte[] message = DomainSeparators.Prefix(DomainSeparators.StateRoot, tree.Digest);
        return new Certificate(tree, key.Sign(message).ToBytes(), delegation);
    }

    public static LabeledTree Leaf(string text) => LabeledTree.Leaf(Encoding.UTF8.GetBytes(text));

    public static LabeledTree Time(ulong nanos) => LabeledTree.Leaf(Leb128.EncodeUnsigned(nanos));

    /// <summary>A root-subnet certificate delegating to <paramref name="subnet"/> with flat and sharded ranges.</summary>
    public static CertificateDelegation Delegation(SecretKey root, SecretKey subnetKey, Principal subnet, Principal low, Principal high)
    {
        byte[] ranges = new CanisterRanges([(low, high)]).Encode();
        LabeledTree state = LabeledTree.Node(
            ("canister_ranges", LabeledTree.Node((subnet, LabeledTree.Node((low, LabeledTree.Leaf(ranges)))))),
            ("subnet", LabeledTree.Node((subnet, LabeledTree.Node(
                ("canister_ranges", LabeledTree.Leaf(ranges)),
                ("public_key", LabeledTree.Leaf(Der(subnetKey))))))),
            ("time", Time(1_700_000_000_000_000_000)));
        return new CertificateDelegation(subnet, Sign(root, state.ToHashTree()).Encode());
    }
}
