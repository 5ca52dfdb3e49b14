using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Principals;
using T = InternetIdentity.Protocol.Candid.CandidType;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.SubnetLoad;

/// <summary>
/// The few methods of II's Candid interface (<c>internet_identity.did</c>) the load uses, encoded as a dapp's agent
/// would: <c>register</c> (captcha off locally, so the challenge result is not checked), <c>prepare_delegation</c>
/// and the query <c>get_principal</c>.
/// </summary>
internal static class IiInterface
{
    /// <summary>II's canister id on mainnet and on <c>iinet up</c>.</summary>
    public static Principal CanisterId { get; } = Principal.Parse("rdmx6-jaaaa-aaaaa-aaadq-cai");

    private static readonly T MetadataMap = Recursive("MetadataMap", self => T.Vec(T.Tuple(T.Text, T.Variant(("map", self), ("string", T.Text), ("bytes", T.Blob)))));

    private static readonly T DeviceData = T.Record(
        ("pubkey", T.Blob), ("alias", T.Text), ("credential_id", T.Opt(T.Blob)), ("aaguid", T.Opt(T.Blob)),
        ("purpose", T.Enum("recovery", "authentication")),
        ("key_type", T.Enum("unknown", "platform", "cross_platform", "seed_phrase", "browser_storage_key")),
        ("protection", T.Enum("protected", "unprotected")), ("origin", T.Opt(T.Text)), ("metadata", T.Opt(MetadataMap)));

    private static readonly T ChallengeResult = T.Record(("key", T.Text), ("chars", T.Text));

    private static readonly T RegisterResponse = T.Variant(
        ("registered", T.Record(("user_number", T.Nat64))), ("canister_full", T.Null), ("bad_challenge", T.Null));

    /// <summary><c>register(DeviceData, ChallengeResult, opt principal)</c> for a browser-storage device key.</summary>
    public static byte[] RegisterArg(byte[] devicePublicKeyDer) => CandidEncoder.Encode(
        [DeviceData, ChallengeResult, T.Opt(T.Principal)],
        [
            V.Record(
                ("pubkey", V.Blob(devicePublicKeyDer)), ("alias", V.Text("subnet-load")), ("credential_id", V.None), ("aaguid", V.None),
                ("purpose", V.Variant("authentication")), ("key_type", V.Variant("browser_storage_key")),
                ("protection", V.Variant("unprotected")), ("origin", V.Some(V.Text(Origin))), ("metadata", V.None)),
            V.Record(("key", V.Text("unused")), ("chars", V.Text("unused"))),
            V.None,
        ]);

    /// <summary>The anchor number of a <c>register</c> reply; throws <see cref="LoadException"/> on any other outcome.</summary>
    public static ulong DecodeRegistered(byte[] reply)
    {
        var variant = (CandidVariant)CandidDecoder.Decode(reply, [RegisterResponse])[0];
        if (variant.Label != CandidLabel.Named("registered"))
        {
            throw new LoadException("register: " + variant);
        }

        return (ulong)((CandidFixedNat)((CandidRecord)variant.Value)["user_number"]).Value;
    }

    /// <summary>The frontend the delegations are for.</summary>
    public const string Origin = "https://subnet-load.example";

    /// <summary><c>prepare_delegation(anchor, origin, session key, opt max ttl)</c>.</summary>
    public static byte[] PrepareDelegationArg(ulong anchor, byte[] sessionKeyDer) => CandidEncoder.Encode(
        [T.Nat64, T.Text, T.Blob, T.Opt(T.Nat64)],
        [V.Nat64(anchor), V.Text(Origin), V.Blob(sessionKeyDer), V.Some(V.Nat64(30UL * 60 * 1_000_000_000))]);

    /// <summary>The reply of <c>prepare_delegation</c>: <c>(UserKey, Timestamp)</c>; checks the user key is a canister-signature key.</summary>
    public static (byte[] UserKey, ulong Expiration) DecodePreparedDelegation(byte[] reply)
    {
        IReadOnlyList<V> values = CandidDecoder.Decode(reply, [T.Blob, T.Nat64]);
        byte[] userKey = ((CandidBlob)values[0]).Bytes.ToArray();
        ulong expiration = (ulong)((CandidFixedNat)values[1]).Value;
        // A canister signature public key: DER SEQUENCE { AlgorithmIdentifier 1.3.6.1.4.1.56387.1.2, BIT STRING }.
        if (userKey.Length < 20 || userKey[0] != 0x30)
        {
            throw new LoadException("prepare_delegation: the user key is not a DER public key: " + Convert.ToHexStringLower(userKey));
        }

        return (userKey, expiration);
    }

    /// <summary><c>get_principal(anchor, origin)</c>.</summary>
    public static byte[] GetPrincipalArg(ulong anchor) => CandidEncoder.Encode([T.Nat64, T.Text], [V.Nat64(anchor), V.Text(Origin)]);

    /// <summary>The principal a <c>get_principal</c> reply holds.</summary>
    public static Principal DecodePrincipal(byte[] reply) =>
        ((CandidPrincipalValue)CandidDecoder.Decode(reply, [T.Principal])[0]).Principal.ToPrincipal();

    private static T Recursive(string name, Func<T, T> body)
    {
        var knot = new CandidRecursiveType(name);
        knot.Define(body(knot));
        return knot;
    }
}
