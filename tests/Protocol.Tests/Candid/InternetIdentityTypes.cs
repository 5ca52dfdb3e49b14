using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;

namespace InternetIdentity.Protocol.Tests.Candid;

// II's Candid types (internet_identity.did) written the way the canister will write them.

public enum Purpose
{
    Recovery,
    Authentication,
}

public enum KeyType
{
    Unknown,
    Platform,
    CrossPlatform,
    SeedPhrase,
    BrowserStorageKey,
}

public enum DeviceProtection
{
    Protected,
    Unprotected,
}

/// <summary><c>variant { map : MetadataMap; string : text; bytes : vec nat8 }</c></summary>
[CandidVariant]
public abstract record MetadataEntry
{
    public sealed record Map(IReadOnlyList<(string, MetadataEntry)> Value) : MetadataEntry;

    public sealed record String(string Value) : MetadataEntry;

    public sealed record Bytes(byte[] Value) : MetadataEntry;
}

public sealed record DeviceData(
    [property: CandidName("pubkey")] byte[] PubKey,
    string Alias,
    byte[]? CredentialId,
    byte[]? Aaguid,
    Purpose Purpose,
    KeyType KeyType,
    DeviceProtection Protection,
    string? Origin,
    IReadOnlyList<(string, MetadataEntry)>? Metadata);

public sealed record ChallengeResult(string Key, string Chars);

[CandidVariant]
public abstract record RegisterResponse
{
    public sealed record Registered(ulong UserNumber) : RegisterResponse;

    public sealed record CanisterFull : RegisterResponse;

    public sealed record BadChallenge : RegisterResponse;
}

public sealed record Delegation(byte[] Pubkey, ulong Expiration, IReadOnlyList<CandidPrincipal>? Targets);

public sealed record SignedDelegation(Delegation Delegation, byte[] Signature);

[CandidVariant]
public abstract record GetDelegationResponse
{
    public sealed record SignedDelegation(Candid.SignedDelegation Value) : GetDelegationResponse;

    public sealed record NoSuchDelegation : GetDelegationResponse;
}

public static class InternetIdentitySamples
{
    public static DeviceData Device() => new(
        PubKey: Convert.FromHexString("305e300c060a2b0601040183b8430101034e00a5010203262001215820" + new string('a', 64) + "225820" + new string('b', 64)),
        Alias: "MacBook Pro",
        CredentialId: Enumerable.Range(0, 64).Select(i => (byte)i).ToArray(),
        Aaguid: new byte[16],
        Purpose: Purpose.Authentication,
        KeyType: KeyType.CrossPlatform,
        Protection: DeviceProtection.Unprotected,
        Origin: "https://identity.ic0.app",
        Metadata: [("usage", new MetadataEntry.String("recovery_phrase")), ("nested", new MetadataEntry.Map([("raw", new MetadataEntry.Bytes([1, 2, 3]))]))]);
}
