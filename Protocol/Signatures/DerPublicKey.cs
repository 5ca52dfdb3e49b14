using System.Formats.Asn1;
using System.Formats.Cbor;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Protocol.Signatures;

/// <summary>
/// A DER-encoded SubjectPublicKeyInfo of one of the IC's signature schemes, parsed: the scheme and the raw key material
/// (Ed25519 32 bytes, ECDSA 65-byte uncompressed point, COSE key parts, canister id and seed, BLS 96 bytes).
/// </summary>
public sealed class DerPublicKey
{
    /// <summary>The 37-byte DER prefix of a BLS12-381 public key (then 96 bytes of G2 point).</summary>
    public static ReadOnlySpan<byte> BlsDerPrefix => [
        0x30, 0x81, 0x82, 0x30, 0x1d, 0x06, 0x0d, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0xdc, 0x7c, 0x05, 0x03, 0x01, 0x02, 0x01,
        0x06, 0x0c, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0xdc, 0x7c, 0x05, 0x03, 0x02, 0x01, 0x03, 0x61, 0x00];

    /// <summary>The 12-byte DER prefix of an Ed25519 public key (then 32 bytes).</summary>
    public static ReadOnlySpan<byte> Ed25519DerPrefix => [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    private const string OidEd25519 = "1.3.101.112";
    private const string OidEcPublicKey = "1.2.840.10045.2.1";
    private const string OidP256 = "1.2.840.10045.3.1.7";
    private const string OidSecp256k1 = "1.3.132.0.10";
    private const string OidWebAuthn = "1.3.6.1.4.1.56387.1.1";
    private const string OidCanisterSig = "1.3.6.1.4.1.56387.1.2";
    private const string OidBlsAlgorithm = "1.3.6.1.4.1.44668.5.3.1.2.1";
    private const string OidBlsCurve = "1.3.6.1.4.1.44668.5.3.2.1";

    private DerPublicKey(PublicKeyScheme scheme, byte[] der, byte[] key)
    {
        Scheme = scheme;
        Der = der;
        Key = key;
    }

    /// <summary>The scheme.</summary>
    public PublicKeyScheme Scheme { get; }

    /// <summary>The DER encoding as given.</summary>
    public byte[] Der { get; }

    /// <summary>
    /// The raw key: Ed25519 32 bytes, ECDSA 04||x||y, WebAuthn P-256 04||x||y, WebAuthn RSA the modulus, canister the seed,
    /// BLS the 96-byte point.
    /// </summary>
    public byte[] Key { get; }

    /// <summary>The RSA public exponent (WebAuthn RSA only).</summary>
    public byte[] RsaExponent { get; private init; } = [];

    /// <summary>The signing canister (canister signatures only).</summary>
    public Principal? SigningCanister { get; private init; }

    /// <summary>The self-authenticating principal of this key.</summary>
    public Principal SelfAuthenticatingPrincipal() => Principal.SelfAuthenticating(Der);

    /// <summary>DER of an Ed25519 public key.</summary>
    public static byte[] EncodeEd25519(ReadOnlySpan<byte> raw32)
    {
        if (raw32.Length != 32)
        {
            throw new ArgumentException("an Ed25519 public key has 32 bytes", nameof(raw32));
        }

        return [.. Ed25519DerPrefix, .. raw32];
    }

    /// <summary>DER of a BLS12-381 public key.</summary>
    public static byte[] EncodeBls(ReadOnlySpan<byte> raw96)
    {
        if (raw96.Length != 96)
        {
            throw new ArgumentException("a BLS12-381 public key has 96 bytes", nameof(raw96));
        }

        return [.. BlsDerPrefix, .. raw96];
    }

    /// <summary>DER of a canister signature public key: BIT STRING 00 || len(cid) || cid || seed under OID 1.3.6.1.4.1.56387.1.2.</summary>
    public static byte[] EncodeCanisterSignatureKey(Principal canister, ReadOnlySpan<byte> seed)
    {
        byte[] key = [(byte)canister.Length, .. canister.Bytes, .. seed];
        return Encode(OidCanisterSig, null, key);
    }

    /// <summary>DER of an ECDSA P-256 (or secp256k1) uncompressed point 04||x||y.</summary>
    public static byte[] EncodeEcdsa(ReadOnlySpan<byte> uncompressedPoint, bool secp256k1 = false)
    {
        if (uncompressedPoint.Length != 65 || uncompressedPoint[0] != 0x04)
        {
            throw new ArgumentException("expected an uncompressed point 04||x||y", nameof(uncompressedPoint));
        }

        return Encode(OidEcPublicKey, secp256k1 ? OidSecp256k1 : OidP256, uncompressedPoint.ToArray());
    }

    /// <summary>DER of a WebAuthn COSE key (the COSE CBOR wrapped under OID 1.3.6.1.4.1.56387.1.1).</summary>
    public static byte[] EncodeWebAuthn(ReadOnlySpan<byte> coseKey) => Encode(OidWebAuthn, null, coseKey.ToArray());

    private static byte[] Encode(string algorithm, string? parameter, byte[] key)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(algorithm);
                if (parameter is not null)
                {
                    writer.WriteObjectIdentifier(parameter);
                }
            }

            writer.WriteBitString(key);
        }

        return writer.Encode();
    }

    /// <summary>Parses a DER public key; throws <see cref="DerFormatException"/>.</summary>
    public static DerPublicKey Parse(ReadOnlySpan<byte> der) =>
        TryParse(der, out DerPublicKey? key, out string? error) ? key! : throw new DerFormatException(error!);

    /// <summary>Parses a DER public key; false with the reason when malformed or unsupported.</summary>
    public static bool TryParse(ReadOnlySpan<byte> der, out DerPublicKey? key, out string? error)
    {
        key = null;
        error = null;
        byte[] bytes = der.ToArray();
        string algorithm;
        string? parameter = null;
        byte[] bitString;
        try
        {
            var reader = new AsnReader(bytes, AsnEncodingRules.DER);
            AsnReader spki = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            AsnReader algorithmId = spki.ReadSequence();
            algorithm = algorithmId.ReadObjectIdentifier();
            if (algorithmId.HasData)
            {
                parameter = algorithmId.ReadObjectIdentifier();
            }

            algorithmId.ThrowIfNotEmpty();
            bitString = spki.ReadBitString(out int unusedBits);
            spki.ThrowIfNotEmpty();
            if (unusedBits != 0)
            {
                error = "public key bit string has unused bits";
                return false;
            }
        }
        catch (Exception e) when (e is AsnContentException)
        {
            error = "malformed DER public key: " + e.Message;
            return false;
        }

        switch (algorithm)
        {
            case OidEd25519 when parameter is null:
                if (bitString.Length != 32)
                {
                    error = $"Ed25519 public key has {bitString.Length} bytes, expected 32";
                    return false;
                }

                key = new DerPublicKey(PublicKeyScheme.Ed25519, bytes, bitString);
                return true;
            case OidEcPublicKey when parameter is OidP256 or OidSecp256k1:
                if (bitString.Length != 65 || bitString[0] != 0x04)
                {
                    error = "ECDSA public key must be an uncompressed point of 65 bytes";
                    return false;
                }

                key = new DerPublicKey(parameter == OidP256 ? PublicKeyScheme.EcdsaP256 : PublicKeyScheme.EcdsaSecp256k1, bytes, bitString);
                return true;
            case OidWebAuthn when parameter is null:
                return TryParseCose(bytes, bitString, out key, out error);
            case OidCanisterSig when parameter is null:
                if (bitString.Length < 1 || bitString[0] > Principal.MaxLength || bitString.Length < 1 + bitString[0])
                {
                    error = "canister signature public key has an invalid canister id length";
                    return false;
                }

                key = new DerPublicKey(PublicKeyScheme.Canister, bytes, bitString[(1 + bitString[0])..])
                {
                    SigningCanister = Principal.FromBytes(bitString.AsSpan(1, bitString[0])),
                };
                return true;
            case OidBlsAlgorithm when parameter is OidBlsCurve:
                if (bitString.Length != 96)
                {
                    error = $"BLS12-381 public key has {bitString.Length} bytes, expected 96";
                    return false;
                }

                key = new DerPublicKey(PublicKeyScheme.Bls12381, bytes, bitString);
                return true;
            default:
                error = $"unsupported public key algorithm {algorithm}" + (parameter is null ? "" : $" ({parameter})");
                return false;
        }
    }

    // COSE keys: EC2 {1: 2, 3: -7, -1: 1, -2: x, -3: y} or RSA {1: 3, 3: -257, -1: n, -2: e}.
    private static bool TryParseCose(byte[] der, byte[] cose, out DerPublicKey? key, out string? error)
    {
        key = null;
        error = null;
        var fields = new Dictionary<long, object>();
        try
        {
            var reader = new CborReader(cose, CborConformanceMode.Strict);
            int? count = reader.ReadStartMap();
            if (count is null or > 16)
            {
                error = "COSE key must be a definite map of at most 16 entries";
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                long label = reader.ReadInt64();
                fields[label] = reader.PeekState() switch
                {
                    CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger => reader.ReadInt64(),
                    CborReaderState.ByteString => reader.ReadByteString(),
                    _ => throw new FormatException($"unexpected COSE value type {reader.PeekState()}"),
                };
            }

            reader.ReadEndMap();
            if (reader.BytesRemaining != 0)
            {
                error = "trailing bytes after the COSE key";
                return false;
            }
        }
        catch (Exception e) when (e is CborContentException or FormatException or InvalidOperationException or OverflowException)
        {
            error = "malformed COSE key: " + e.Message;
            return false;
        }

        long? Int(long label) => fields.TryGetValue(label, out object? v) && v is long l ? l : null;
        byte[]? Bytes(long label) => fields.TryGetValue(label, out object? v) ? v as byte[] : null;

        if (Int(1) == 2 && Int(3) == -7 && Int(-1) == 1 && Bytes(-2) is { Length: 32 } x && Bytes(-3) is { Length: 32 } y)
        {
            key = new DerPublicKey(PublicKeyScheme.WebAuthnEcdsaP256, der, [0x04, .. x, .. y]);
            return true;
        }

        if (Int(1) == 3 && Int(3) == -257 && Bytes(-1) is { Length: > 0 } n && Bytes(-2) is { Length: > 0 } e2)
        {
            key = new DerPublicKey(PublicKeyScheme.WebAuthnRsa, der, n) { RsaExponent = e2 };
            return true;
        }

        error = "unsupported COSE key (only EC2 P-256 with ES256 and RSA with RS256)";
        return false;
    }
}
