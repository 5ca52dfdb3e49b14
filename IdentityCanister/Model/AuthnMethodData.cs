using System.Collections.Immutable;

namespace InternetIdentity.IdentityCanister.Model;

/// <summary>
/// A v2 authentication method (<c>AuthnMethodData</c>): WebAuthn when <see cref="CredentialId"/> is set, else PubKey.
/// v1 fields (alias, origin, key type) travel in the metadata.
/// </summary>
public sealed record AuthnMethodData(
    ImmutableArray<byte> Pubkey,
    ImmutableArray<byte>? CredentialId,
    ImmutableArray<byte>? Aaguid,
    DeviceProtection Protection,
    Purpose Purpose,
    MetadataMap Metadata,
    ulong? LastAuthentication);
