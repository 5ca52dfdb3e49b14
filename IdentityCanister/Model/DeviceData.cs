using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace InternetIdentity.IdentityCanister.Model;

/// <summary>What a device is for (<c>Purpose</c> in the .did).</summary>
public enum Purpose
{
    /// <summary><c>recovery</c></summary>
    Recovery,

    /// <summary><c>authentication</c></summary>
    Authentication,
}

/// <summary>The kind of key (<c>KeyType</c>); the names are II's Rust Debug names, used in error texts.</summary>
public enum KeyType
{
    /// <summary><c>unknown</c></summary>
    Unknown,

    /// <summary><c>platform</c></summary>
    Platform,

    /// <summary><c>cross_platform</c></summary>
    CrossPlatform,

    /// <summary><c>seed_phrase</c></summary>
    SeedPhrase,

    /// <summary><c>browser_storage_key</c></summary>
    BrowserStorageKey,
}

/// <summary>Whether only the device itself may mutate it (<c>DeviceProtection</c>).</summary>
public enum DeviceProtection
{
    /// <summary><c>protected</c></summary>
    Protected,

    /// <summary><c>unprotected</c></summary>
    Unprotected,
}

/// <summary>A metadata value: a nested map, a string or bytes.</summary>
public abstract record MetadataValue
{
    private protected MetadataValue()
    {
    }

    /// <summary>The bytes this value counts toward the anchor's variable-size limit.</summary>
    public abstract int VariableLength { get; }

    /// <summary>A text value.</summary>
    public sealed record String(string Value) : MetadataValue
    {
        /// <inheritdoc />
        public override int VariableLength => System.Text.Encoding.UTF8.GetByteCount(Value);
    }

    /// <summary>A byte value.</summary>
    public sealed record Bytes(ImmutableArray<byte> Value) : MetadataValue
    {
        /// <inheritdoc />
        public override int VariableLength => Value.Length;

        /// <inheritdoc />
        public bool Equals(Bytes? other) => other is not null && Value.AsSpan().SequenceEqual(other.Value.AsSpan());

        /// <inheritdoc />
        public override int GetHashCode() => Value.Length;
    }

    /// <summary>A nested map.</summary>
    public sealed record Map(MetadataMap Value) : MetadataValue
    {
        /// <inheritdoc />
        public override int VariableLength => Value.VariableLength;
    }
}

/// <summary>An ordered list of metadata entries (the wire form is a vec of key/value pairs).</summary>
public sealed record MetadataMap(ImmutableArray<KeyValuePair<string, MetadataValue>> Entries)
{
    /// <summary>The empty map.</summary>
    public static MetadataMap Empty { get; } = new(ImmutableArray<KeyValuePair<string, MetadataValue>>.Empty);

    /// <summary>Sum of key and value lengths.</summary>
    public int VariableLength
    {
        get
        {
            int n = 0;
            foreach (var e in Entries)
            {
                n += System.Text.Encoding.UTF8.GetByteCount(e.Key) + e.Value.VariableLength;
            }

            return n;
        }
    }

    /// <inheritdoc />
    public bool Equals(MetadataMap? other) =>
        other is not null && Entries.Length == other.Entries.Length
        && Entries.Zip(other.Entries).All(p => p.First.Key == p.Second.Key && p.First.Value.Equals(p.Second.Value));

    /// <inheritdoc />
    public override int GetHashCode() => Entries.Length;
}

/// <summary>A device as written by callers (<c>DeviceData</c>).</summary>
public sealed record DeviceData(
    ImmutableArray<byte> Pubkey,
    string Alias,
    ImmutableArray<byte>? CredentialId,
    ImmutableArray<byte>? Aaguid,
    Purpose Purpose,
    KeyType KeyType,
    DeviceProtection Protection,
    string? Origin,
    MetadataMap? Metadata)
{
    // Held as plain arrays: a nullable ImmutableArray takes 16 bytes, an array reference 8. A device of each of a
    // million anchors on each replica of one process makes that 64 MB per field (issue 16).
    private readonly byte[]? _credentialId = ArrayOf(CredentialId);
    private readonly byte[]? _aaguid = ArrayOf(Aaguid);

    /// <summary>The WebAuthn credential id, if any.</summary>
    public ImmutableArray<byte>? CredentialId
    {
        get => _credentialId is null ? null : ImmutableCollectionsMarshal.AsImmutableArray(_credentialId);
        init => _credentialId = ArrayOf(value);
    }

    /// <summary>The authenticator's AAGUID, if any.</summary>
    public ImmutableArray<byte>? Aaguid
    {
        get => _aaguid is null ? null : ImmutableCollectionsMarshal.AsImmutableArray(_aaguid);
        init => _aaguid = ArrayOf(value);
    }

    /// <summary>Bytes counted toward the anchor's variable-size limit (II's <c>variable_fields_len</c>).</summary>
    public int VariableLength =>
        System.Text.Encoding.UTF8.GetByteCount(Alias) + Pubkey.Length + (CredentialId?.Length ?? 0)
        + (Origin is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(Origin)) + (Metadata?.VariableLength ?? 0);

    /// <inheritdoc />
    public bool Equals(DeviceData? other) =>
        other is not null && Pubkey.AsSpan().SequenceEqual(other.Pubkey.AsSpan()) && Alias == other.Alias
        && OptEqual(CredentialId, other.CredentialId) && OptEqual(Aaguid, other.Aaguid) && Purpose == other.Purpose
        && KeyType == other.KeyType && Protection == other.Protection && Origin == other.Origin && Equals(Metadata, other.Metadata);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Pubkey.Length, Alias, Purpose, KeyType);

    // A present but default (uninitialized) array is held as an empty one.
    private static byte[]? ArrayOf(ImmutableArray<byte>? value) => value is { } v ? ImmutableCollectionsMarshal.AsArray(v) ?? [] : null;

    private static bool OptEqual(ImmutableArray<byte>? a, ImmutableArray<byte>? b) =>
        a is null ? b is null : b is not null && a.Value.AsSpan().SequenceEqual(b.Value.AsSpan());
}

/// <summary>A stored device: its data and when it last authenticated an update call.</summary>
public sealed record Device(DeviceData Data, ulong? LastUsage)
{
    private Protocol.Principals.Principal? _principal;

    /// <summary>The device's self-authenticating principal (cached; not part of the state).</summary>
    public Protocol.Principals.Principal Principal => _principal ??= Protocol.Principals.Principal.SelfAuthenticating(Data.Pubkey.AsSpan());

    /// <summary>True when the public key equals <paramref name="key"/>.</summary>
    public bool HasKey(ReadOnlySpan<byte> key) => Data.Pubkey.AsSpan().SequenceEqual(key);

    /// <inheritdoc />
    public bool Equals(Device? other) => other is not null && Data.Equals(other.Data) && LastUsage == other.LastUsage;

    /// <inheritdoc />
    public override int GetHashCode() => Data.GetHashCode();
}

/// <summary>An identity anchor: its devices and v2 identity properties.</summary>
public sealed record Anchor(ulong Number, ImmutableArray<Device> Devices, ulong? CreatedAt, string? Name, MetadataMap Metadata)
{
    /// <inheritdoc />
    public bool Equals(Anchor? other) =>
        other is not null && Number == other.Number && Devices.SequenceEqual(other.Devices) && CreatedAt == other.CreatedAt
        && Name == other.Name && Metadata.Equals(other.Metadata);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Number, Devices.Length);
}
