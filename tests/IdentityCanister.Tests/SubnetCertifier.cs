using System.Security.Cryptography;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.ThresholdSigning.Threshold;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>
/// A 4-node subnet's threshold key (t = 3): certifies a canister's certified_data and the time in a state tree signed
/// by 3 of the 4 shares, as replicas do; and verifies canister signatures against the subnet key.
/// </summary>
public sealed class SubnetCertifier
{
    private readonly Dealing _dealing;

    public SubnetCertifier(string seed = "subnet key seed")
    {
        _dealing = Dealing.Create(0, 3, 4, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)));
        PublicKey = new ThresholdPublicKey(_dealing.Commitments);
        RootKeyDer = DerPublicKey.EncodeBls(PublicKey.CombinedPublicKey.ToBytes());
    }

    public ThresholdPublicKey PublicKey { get; }

    public byte[] RootKeyDer { get; }

    /// <summary>A certificate of <c>/canister/&lt;id&gt;/certified_data</c> and <c>/time</c>, signed by shares 0, 2 and 3.</summary>
    public byte[] Certify(Principal canister, byte[] certifiedData, ulong time, uint[]? signers = null)
    {
        LabeledTree state = LabeledTree.Node(
            ("canister", LabeledTree.Node((canister, LabeledTree.Node(("certified_data", LabeledTree.Leaf(certifiedData)))))),
            ("time", LabeledTree.Leaf(Leb128.EncodeUnsigned(time))));
        HashTree tree = state.ToHashTree();
        byte[] message = DomainSeparators.Prefix(DomainSeparators.StateRoot, tree.Digest);
        var shares = (signers ?? [0, 2, 3]).Select(i => _dealing.ShareFor(i).Sign(message)).ToList();
        if (!PublicKey.TryCombine(shares, out var signature, out string? error))
        {
            throw new InvalidOperationException(error);
        }

        return new Certificate(tree, signature.ToBytes()).Encode();
    }

    /// <summary>Verifies a canister signature with Protocol's verifier against this subnet's key.</summary>
    public VerificationResult VerifyCanisterSignature(byte[] userKeyDer, byte[] message, byte[] signature)
    {
        if (!DerPublicKey.TryParse(userKeyDer, out DerPublicKey? key, out string? error) || key!.Scheme != PublicKeyScheme.Canister)
        {
            return VerificationResult.Invalid("not a canister signature key: " + error);
        }

        return CanisterSignatures.Verify(key.SigningCanister!, key.Key, message, signature, RootKeyDer);
    }
}
