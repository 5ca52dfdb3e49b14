using System.Formats.Cbor;
using System.Text;
using InternetIdentity.Protocol.Cbor;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>
/// What II's frontend does with the browser's WebAuthn results (II's <c>webAuthnIdentity.ts</c>): the COSE public key
/// taken from the attestation's authenticator data, and an assertion packed as the IC's WebAuthn signature
/// <c>tag55799 {authenticator_data, client_data_json (text), signature}</c>.
/// </summary>
public static class IiWebAuthn
{
    private const byte AttestedCredentialDataFlag = 0x40;

    /// <summary>
    /// The COSE key in <c>attestationObject.authData</c>: after rpIdHash (32), flags (1), signCount (4), AAGUID (16),
    /// credentialIdLength (2, big-endian) and the credential id; throws <see cref="FormatException"/> on other bytes.
    /// </summary>
    public static byte[] CoseKeyFromAttestationObject(byte[] attestationObject)
    {
        ArgumentNullException.ThrowIfNull(attestationObject);
        byte[]? authData = null;
        try
        {
            var reader = new CborReader(attestationObject, CborConformanceMode.Lax);
            int? fields = reader.ReadStartMap();
            for (int i = 0; fields is null ? reader.PeekState() != CborReaderState.EndMap : i < fields; i++)
            {
                string key = reader.ReadTextString();
                if (key == "authData")
                {
                    authData = reader.ReadByteString();
                }
                else
                {
                    reader.SkipValue();
                }
            }
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException)
        {
            throw new FormatException("attestationObject is not a CBOR map: " + e.Message, e);
        }

        if (authData is null)
        {
            throw new FormatException("attestationObject has no authData");
        }

        const int CredentialIdOffset = 32 + 1 + 4 + 16 + 2;
        if (authData.Length < CredentialIdOffset || (authData[32] & AttestedCredentialDataFlag) == 0)
        {
            throw new FormatException("authData carries no attested credential data");
        }

        int credentialIdLength = (authData[CredentialIdOffset - 2] << 8) | authData[CredentialIdOffset - 1];
        int keyOffset = CredentialIdOffset + credentialIdLength;
        if (keyOffset >= authData.Length)
        {
            throw new FormatException("authData ends before the credential public key");
        }

        // The COSE key is one CBOR item; extensions may follow it.
        var keyReader = new CborReader(authData.AsMemory(keyOffset), CborConformanceMode.Lax, allowMultipleRootLevelValues: true);
        try
        {
            keyReader.SkipValue();
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException)
        {
            throw new FormatException("the credential public key is not CBOR: " + e.Message, e);
        }

        return authData[keyOffset..(authData.Length - keyReader.BytesRemaining)];
    }

    /// <summary>The IC WebAuthn signature of an assertion, as II encodes it.</summary>
    public static byte[] Signature(byte[] authenticatorData, byte[] clientDataJson, byte[] signature)
    {
        CborWriter writer = IcCbor.CreateWriter();
        writer.WriteStartMap(3);
        writer.WriteTextString("authenticator_data");
        writer.WriteByteString(authenticatorData);
        writer.WriteTextString("client_data_json");
        writer.WriteTextString(Encoding.UTF8.GetString(clientDataJson));
        writer.WriteTextString("signature");
        writer.WriteByteString(signature);
        writer.WriteEndMap();
        return writer.Encode();
    }
}
