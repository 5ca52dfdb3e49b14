using System.Buffers.Binary;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Protocol.Principals;

/// <summary>
/// An IC principal: 0 to 29 bytes. Textual form is the grouped, lower-case base32 of CRC32 (big endian) || bytes.
/// Ordering is lexicographic on the bytes (a shorter prefix first), as canister ranges use it.
/// </summary>
public sealed class Principal : IEquatable<Principal>, IComparable<Principal>
{
    /// <summary>The maximum length of a principal in bytes.</summary>
    public const int MaxLength = 29;

    /// <summary>Last byte of opaque ids (canisters).</summary>
    public const byte OpaqueSuffix = 0x01;

    /// <summary>Last byte of self-authenticating ids.</summary>
    public const byte SelfAuthenticatingSuffix = 0x02;

    /// <summary>Last byte of derived ids.</summary>
    public const byte DerivedSuffix = 0x03;

    /// <summary>The single byte of the anonymous principal.</summary>
    public const byte AnonymousSuffix = 0x04;

    private readonly byte[] _bytes;

    private Principal(byte[] bytes) => _bytes = bytes;

    /// <summary>The management canister <c>aaaaa-aa</c> (the empty blob).</summary>
    public static Principal ManagementCanister { get; } = new([]);

    /// <summary>The anonymous principal <c>2vxsx-fae</c> (the single byte 0x04).</summary>
    public static Principal Anonymous { get; } = new([AnonymousSuffix]);

    /// <summary>The principal's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The number of bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>Whether this is the anonymous principal.</summary>
    public bool IsAnonymous => _bytes is [AnonymousSuffix];

    /// <summary>Whether this is a self-authenticating id (29 bytes ending in 0x02).</summary>
    public bool IsSelfAuthenticating => _bytes.Length == MaxLength && _bytes[^1] == SelfAuthenticatingSuffix;

    /// <summary>A principal from its bytes; throws <see cref="ArgumentException"/> above 29 bytes.</summary>
    public static Principal FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new ArgumentException($"a principal has at most {MaxLength} bytes, got {bytes.Length}", nameof(bytes));
        }

        return new Principal(bytes.ToArray());
    }

    /// <summary>A principal from untrusted bytes; false above 29 bytes.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out Principal principal)
    {
        principal = Anonymous;
        if (bytes.Length > MaxLength)
        {
            return false;
        }

        principal = new Principal(bytes.ToArray());
        return true;
    }

    /// <summary>The self-authenticating id of a DER-encoded public key: SHA-224(der) || 0x02.</summary>
    public static Principal SelfAuthenticating(ReadOnlySpan<byte> derPublicKey)
    {
        var bytes = new byte[MaxLength];
        Sha224.Hash(derPublicKey, bytes.AsSpan(0, 28));
        bytes[28] = SelfAuthenticatingSuffix;
        return new Principal(bytes);
    }

    /// <summary>The canister id with index <paramref name="index"/>: big-endian u64 || 0x01 || 0x01.</summary>
    public static Principal CanisterId(ulong index)
    {
        var bytes = new byte[10];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, index);
        bytes[8] = 0x01;
        bytes[9] = OpaqueSuffix;
        return new Principal(bytes);
    }

    /// <summary>The u64 index of a canister id made by <see cref="CanisterId(ulong)"/>, or null for other principals.</summary>
    public ulong? CanisterIndex =>
        _bytes.Length == 10 && _bytes[8] == 0x01 && _bytes[9] == OpaqueSuffix ? BinaryPrimitives.ReadUInt64BigEndian(_bytes) : null;

    /// <summary>Parses the textual form (case-insensitive), checking length, grouping and checksum.</summary>
    public static Principal Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out Principal? principal, out string? error) ? principal! : throw new PrincipalFormatException(error!);
    }

    /// <summary>Parses the textual form; false with no exception when invalid.</summary>
    public static bool TryParse(string? text, out Principal? principal) => TryParse(text, out principal, out _);

    /// <summary>Parses the textual form; false with the reason when invalid.</summary>
    public static bool TryParse(string? text, out Principal? principal, out string? error)
    {
        principal = null;
        error = null;
        if (text is null)
        {
            error = "principal text is missing";
            return false;
        }

        // 29 bytes + 4 checksum bytes = 53 base32 characters + 10 dashes.
        if (text.Length > 63)
        {
            error = $"principal text is too long ({text.Length} characters, at most 63)";
            return false;
        }

        string ungrouped = text.Replace("-", "", StringComparison.Ordinal);
        if (!Base32.TryDecode(ungrouped, out byte[] decoded))
        {
            error = $"principal text '{text}' is not valid base32";
            return false;
        }

        if (decoded.Length < 4)
        {
            error = $"principal text '{text}' is too short";
            return false;
        }

        if (decoded.Length - 4 > MaxLength)
        {
            error = $"principal text '{text}' encodes more than {MaxLength} bytes";
            return false;
        }

        var candidate = new Principal(decoded[4..]);
        if (BinaryPrimitives.ReadUInt32BigEndian(decoded) != Crc32.Compute(candidate._bytes))
        {
            error = $"principal text '{text}' has a wrong checksum";
            return false;
        }

        if (!string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
        {
            error = $"principal text '{text}' is not grouped as '{candidate}'";
            return false;
        }

        principal = candidate;
        return true;
    }

    /// <summary>The textual form, e.g. <c>rdmx6-jaaaa-aaaaa-aaadq-cai</c>.</summary>
    public override string ToString()
    {
        Span<byte> withChecksum = stackalloc byte[4 + MaxLength];
        BinaryPrimitives.WriteUInt32BigEndian(withChecksum, Crc32.Compute(_bytes));
        _bytes.CopyTo(withChecksum[4..]);
        string encoded = Base32.Encode(withChecksum[..(4 + _bytes.Length)]);
        var grouped = new System.Text.StringBuilder(encoded.Length + encoded.Length / 5);
        for (int i = 0; i < encoded.Length; i += 5)
        {
            if (i > 0)
            {
                grouped.Append('-');
            }

            grouped.Append(encoded, i, Math.Min(5, encoded.Length - i));
        }

        return grouped.ToString();
    }

    /// <summary>The bytes as lower-case hex.</summary>
    public string ToHex() => Convert.ToHexStringLower(_bytes);

    /// <summary>A copy of the bytes.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <inheritdoc/>
    public bool Equals(Principal? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Principal);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>Lexicographic byte order, a proper prefix first.</summary>
    public int CompareTo(Principal? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    /// <summary>Equality on bytes.</summary>
    public static bool operator ==(Principal? a, Principal? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Inequality on bytes.</summary>
    public static bool operator !=(Principal? a, Principal? b) => !(a == b);
}
