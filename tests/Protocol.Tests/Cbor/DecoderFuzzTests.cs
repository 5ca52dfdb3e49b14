using System.Numerics;
using System.Text.Json;
using CsCheck;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Protocol.Tests.Support;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.Protocol.Tests.Cbor;

/// <summary>Every decoder, fed random, truncated and mutated bytes, raises only CborFormatException.</summary>
public class DecoderFuzzTests
{
    private static readonly (string Name, Action<byte[]> Decode)[] s_decoders =
    [
        ("hash tree", b => HashTree.Decode(b)),
        ("certificate", b => Certificate.Decode(b)),
        ("certificate or response", b => Certificate.DecodeCertificateOrResponse(b)),
        ("canister ranges", b => CanisterRanges.Decode(b)),
        ("envelope", b => Envelope.Decode(b)),
        ("WebAuthn signature", b => WebAuthnSignatures.Decode(b)),
        ("canister signature", b => CanisterSignatures.Decode(b)),
        ("query response", b => QueryResponse.Decode(b)),
        ("call response", b => CallResponse.Decode(b)),
        ("status response", b => StatusResponse.Decode(b)),
    ];

    private static byte[][] Seeds()
    {
        JsonElement cs = IcVectors.Json("canister_sig.json").GetProperty("vectors")[0];
        JsonElement web = IcVectors.Json("webauthn.json").GetProperty("vectors")[0];
        return
        [
            IcVectors.CertificateFile("ivg37_delegated_v2.bin"),
            cs.Hex("signature_cbor_hex"),
            web.Hex("signature_cbor_hex"),
            IcVectors.Json("self_derived_ed25519.json").Hex("envelope_cbor_hex"),
            QueryResponse.Reject(RejectCode.CanisterError, "trapped", "IC0503", [new NodeSignature(1, new byte[64], InternetIdentity.Protocol.Principals.Principal.Anonymous)]).Encode(),
            new CanisterRanges([(InternetIdentity.Protocol.Principals.Principal.CanisterId(0), InternetIdentity.Protocol.Principals.Principal.CanisterId(9))]).Encode(),
        ];
    }

    private static void OnlyFormatErrors(string name, Action<byte[]> decode, byte[] input)
    {
        try
        {
            decode(input);
        }
        catch (CborFormatException)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"{name} threw {e.GetType().Name} on {Convert.ToHexStringLower(input)}: {e.Message}");
        }
    }

    [Test]
    public void AllDecoders_RandomBytes_OnlyCborFormatException()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            foreach ((string name, Action<byte[]> decode) in s_decoders)
            {
                OnlyFormatErrors(name, decode, bytes);
            }
        }, iter: 2000);
    }

    [Test]
    public void AllDecoders_TruncatedAndMutatedSeeds_OnlyCborFormatException()
    {
        foreach (byte[] seed in Seeds())
        {
            for (int n = 0; n < seed.Length; n += Math.Max(1, seed.Length / 200))
            {
                foreach ((string name, Action<byte[]> decode) in s_decoders)
                {
                    OnlyFormatErrors(name, decode, seed[..n]);
                }
            }

            Gen.Int[0, seed.Length - 1].Select(Gen.Byte).Sample((pos, value) =>
            {
                byte[] m = (byte[])seed.Clone();
                m[pos] = value;
                foreach ((string name, Action<byte[]> decode) in s_decoders)
                {
                    OnlyFormatErrors(name, decode, m);
                }
            }, iter: 300);
        }
    }

    [Test]
    public void AllDecoders_DeepNestingAndHugeDeclaredLengths_Rejected()
    {
        byte[] deepArrays = Enumerable.Repeat((byte)0x81, 10_000).Append((byte)0x00).ToArray();
        byte[] deepMaps = Enumerable.Range(0, 5_000).SelectMany(_ => new byte[] { 0xa1, 0x61, 0x61 }).Append((byte)0x00).ToArray();
        // A byte string claiming 2^63 bytes, an array claiming 2^32 elements, a map claiming 2^32 entries.
        byte[] hugeBlob = [0x5b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
        byte[] hugeArray = [0x9b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00];
        byte[] hugeMap = [0xbb, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00];
        foreach (byte[] input in new[] { deepArrays, deepMaps, hugeBlob, hugeArray, hugeMap })
        {
            foreach ((string name, Action<byte[]> decode) in s_decoders)
            {
                Assert.Throws<CborFormatException>(() => decode(input), name);
            }
        }
    }

    [Test]
    public void ReadNat_UnsignedAndBignum_OthersRejected()
    {
        static BigInteger Nat(string hex) => IcCbor.Decode(Convert.FromHexString(hex), IcCbor.ReadNat, "nat");
        Assert.That(Nat("00"), Is.EqualTo(BigInteger.Zero));
        Assert.That(Nat("1bffffffffffffffff"), Is.EqualTo(new BigInteger(ulong.MaxValue)));
        Assert.That(Nat("c249010000000000000000"), Is.EqualTo(BigInteger.One << 64));
        Assert.That(Nat("d9d9f7c24101"), Is.EqualTo(BigInteger.One));
        Assert.Throws<CborFormatException>(() => Nat("20"));
        Assert.Throws<CborFormatException>(() => Nat("f93c00"));
        Assert.Throws<CborFormatException>(() => Nat("c34100"));
        Assert.Throws<CborFormatException>(() => IcCbor.Decode(Convert.FromHexString("c249010000000000000000"), IcCbor.ReadNat64, "nat"));
    }
}
