using Org.BouncyCastle.Crypto.Digests;

namespace InternetIdentity.Protocol.Signatures;

/// <summary>SHA-224 (FIPS 180-4), which .NET lacks; self-authenticating principals hash DER keys with it.</summary>
internal static class Sha224
{
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination28)
    {
        var digest = new Sha224Digest();
        digest.BlockUpdate(data);
        digest.DoFinal(destination28);
    }
}
