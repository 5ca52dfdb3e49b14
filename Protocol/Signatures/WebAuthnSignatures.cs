using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Protocol.Signatures;

/// <summary>
/// WebAuthn signatures as the IC accepts them: <c>tag55799 {authenticator_data, client_data_json, signature}</c>, where the
/// client data's challenge (base64url) is the signed message and the authenticator signs
/// authenticator_data || SHA-256(client_data_json).
/// </summary>
public static class WebAuthnSignatures
{
    /// <summary>The parts of a WebAuthn signature envelope.</summary>
    public sealed record Envelope(byte[] AuthenticatorData, byte[] ClientDataJson, byte[] Signature)
    {
        /// <summary>The bytes the authenticator signed: authenticator_data || SHA-256(client_data_json).</summary>
        public byte[] SignedBytes() => [.. AuthenticatorData, .. Sha256.HashData(ClientDataJson)];
    }

    /// <summary>Decodes the signature envelope (client_data_json as text or bytes); throws <see cref="CborFormatException"/>.</summary>
    public static Envelope Decode(ReadOnlyMemory<byte> cbor) => IcCbor.Decode(cbor, reader =>
    {
        byte[]? authenticatorData = null, clientDataJson = null, signature = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "authenticator_data":
                    authenticatorData = IcCbor.ReadBlob(reader);
                    break;
                case "client_data_json":
                    clientDataJson = reader.PeekState() == CborReaderState.TextString
                        ? Encoding.UTF8.GetBytes(reader.ReadTextString())
                        : IcCbor.ReadBlob(reader);
                    break;
                case "signature":
                    signature = IcCbor.ReadBlob(reader);
                    break;
                default:
                    IcCbor.SkipValue(reader);
                    break;
            }
        });
        return authenticatorData is null || clientDataJson is null || signature is null
            ? throw new CborFormatException("a WebAuthn signature needs authenticator_data, client_data_json and signature")
            : new Envelope(authenticatorData, clientDataJson, signature);
    }, "WebAuthn signature");

    /// <summary>The challenge of client_data_json, base64url-decoded; null when the JSON or the challenge is malformed.</summary>
    public static byte[]? Challenge(ReadOnlySpan<byte> clientDataJson)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(clientDataJson.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("challenge", out JsonElement challenge)
                || challenge.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            return Base64UrlDecode(challenge.GetString()!);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[]? Base64UrlDecode(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Verifies a WebAuthn signature on <paramref name="message"/> (which includes its domain separator).</summary>
    public static VerificationResult Verify(DerPublicKey key, ReadOnlySpan<byte> message, ReadOnlyMemory<byte> signature)
    {
        Envelope envelope;
        try
        {
            envelope = Decode(signature);
        }
        catch (CborFormatException e)
        {
            return VerificationResult.Invalid("malformed WebAuthn signature: " + e.Message);
        }

        byte[]? challenge = Challenge(envelope.ClientDataJson);
        if (challenge is null)
        {
            return VerificationResult.Invalid("WebAuthn client_data_json has no valid challenge");
        }

        if (!challenge.AsSpan().SequenceEqual(message))
        {
            return VerificationResult.Invalid("WebAuthn challenge does not match the signed message");
        }

        byte[] signed = envelope.SignedBytes();
        bool ok = key.Scheme switch
        {
            PublicKeyScheme.WebAuthnEcdsaP256 => EcdsaSignatures.VerifyP256(key.Key, signed, envelope.Signature, derSignature: true),
            PublicKeyScheme.WebAuthnRsa => VerifyRsa(key, signed, envelope.Signature),
            _ => throw new ArgumentException("not a WebAuthn key", nameof(key)),
        };
        return ok ? VerificationResult.Valid : VerificationResult.Invalid("invalid WebAuthn signature");
    }

    private static bool VerifyRsa(DerPublicKey key, byte[] signed, byte[] signature)
    {
        try
        {
            using var rsa = RSA.Create(new RSAParameters { Modulus = key.Key, Exponent = key.RsaExponent });
            return rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
