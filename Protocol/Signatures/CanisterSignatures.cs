using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Protocol.Signatures;

/// <summary>
/// Canister signatures: <c>tag55799 {certificate, tree}</c>. Valid when the certificate verifies (with the signing canister
/// inside a delegation's ranges), its <c>/canister/&lt;id&gt;/certified_data</c> is the tree's root hash, and the tree
/// holds an empty leaf at <c>/sig/SHA-256(seed)/SHA-256(message)</c>.
/// </summary>
public static class CanisterSignatures
{
    /// <summary>The parts of a canister signature.</summary>
    public sealed record Signature(byte[] Certificate, HashTree Tree);

    /// <summary>Decodes a canister signature; throws <see cref="CborFormatException"/>.</summary>
    public static Signature Decode(ReadOnlyMemory<byte> cbor) => IcCbor.Decode(cbor, reader =>
    {
        byte[]? certificate = null;
        HashTree? tree = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "certificate":
                    certificate = IcCbor.ReadBlob(reader);
                    break;
                case "tree":
                    tree = HashTree.Read(reader);
                    break;
                default:
                    IcCbor.SkipValue(reader);
                    break;
            }
        });
        return certificate is null || tree is null
            ? throw new CborFormatException("a canister signature needs certificate and tree")
            : new Signature(certificate, tree);
    }, "canister signature");

    /// <summary>Encodes a canister signature.</summary>
    public static byte[] Encode(byte[] certificate, HashTree tree)
    {
        var writer = IcCbor.CreateWriter();
        writer.WriteStartMap(2);
        writer.WriteTextString("certificate");
        writer.WriteByteString(certificate);
        writer.WriteTextString("tree");
        tree.Write(writer);
        writer.WriteEndMap();
        return writer.Encode();
    }

    /// <summary>The path of a signature in the canister's signature tree: <c>sig / SHA-256(seed) / SHA-256(message)</c>.</summary>
    public static Label[] SignaturePath(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message) =>
        ["sig", Sha256.HashData(seed), Sha256.HashData(message)];

    /// <summary>Verifies a canister signature on <paramref name="message"/> against the IC root key (raw or DER).</summary>
    public static VerificationResult Verify(Principal signingCanister, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message, ReadOnlyMemory<byte> signature, ReadOnlyMemory<byte> rootKey)
    {
        ArgumentNullException.ThrowIfNull(signingCanister);
        Signature sig;
        Certificate certificate;
        try
        {
            sig = Decode(signature);
            certificate = Certificate.Decode(sig.Certificate);
        }
        catch (CborFormatException e)
        {
            return VerificationResult.Invalid("malformed canister signature: " + e.Message);
        }

        if (!sig.Tree.IsWellFormed())
        {
            return VerificationResult.Invalid("canister signature tree is not well formed");
        }

        LookupResult certified = certificate.Lookup("canister", signingCanister, "certified_data");
        if (!certified.IsFound)
        {
            return VerificationResult.Invalid($"certified_data of canister {signingCanister} is {certified.Status} in the certificate");
        }

        if (!certified.Value.Span.SequenceEqual(sig.Tree.Digest))
        {
            return VerificationResult.Invalid("certified_data does not match the root hash of the signature tree");
        }

        LookupResult leaf = sig.Tree.LookupPath(SignaturePath(seed, message));
        if (!leaf.IsFound || leaf.Value.Length != 0)
        {
            return VerificationResult.Invalid($"the signature tree has no empty leaf at /sig/<seed hash>/<message hash> ({leaf.Status})");
        }

        VerificationResult cert = CertificateVerifier.Verify(certificate, new CertificateVerificationOptions
        {
            RootKey = rootKey,
            EffectiveCanisterId = signingCanister,
        });
        return cert.IsValid ? cert : VerificationResult.Invalid("canister signature certificate: " + cert.Reason);
    }
}
