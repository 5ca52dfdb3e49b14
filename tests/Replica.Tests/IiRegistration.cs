using System.Text;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Tests;

/// <summary>
/// II's <c>register</c> call as a client encodes it (captcha disabled, as in local builds): a device whose principal is
/// self_authenticating(pubkey); the optional fields are left out, which Candid subtyping allows.
/// </summary>
internal static class IiRegistration
{
    private static readonly CandidType DeviceData = CandidType.Record(
        ("pubkey", CandidType.Blob),
        ("alias", CandidType.Text),
        ("purpose", CandidType.Variant(("recovery", CandidType.Null), ("authentication", CandidType.Null))),
        ("key_type", CandidType.Variant(("unknown", CandidType.Null), ("platform", CandidType.Null))),
        ("protection", CandidType.Variant(("protected", CandidType.Null), ("unprotected", CandidType.Null))));

    private static readonly CandidType ChallengeResult = CandidType.Record(("key", CandidType.Text), ("chars", CandidType.Text));

    /// <summary>A device key unique to <paramref name="n"/>.</summary>
    public static byte[] DeviceKey(int n) => Encoding.UTF8.GetBytes($"device key {n:D8} padded like a COSE key .............");

    /// <summary>The principal II expects as the caller of register for this key.</summary>
    public static Principal Caller(byte[] deviceKey) => Principal.SelfAuthenticating(deviceKey);

    /// <summary>The Candid argument of register(device, challenge result, no temp key).</summary>
    public static byte[] Argument(byte[] deviceKey) => CandidEncoder.Encode(
        [DeviceData, ChallengeResult],
        [
            CandidValue.Record(
                ("pubkey", CandidValue.Blob(deviceKey)),
                ("alias", CandidValue.Text("laptop")),
                ("purpose", CandidValue.Variant("authentication")),
                ("key_type", CandidValue.Variant("unknown")),
                ("protection", CandidValue.Variant("unprotected"))),
            CandidValue.Record(("key", CandidValue.Text("")), ("chars", CandidValue.Text(""))),
        ]);
}
