namespace InternetIdentity.Protocol.RequestIds;

/// <summary>A request id: the 32-byte representation-independent hash of a request's content.</summary>
public readonly struct RequestId : IEquatable<RequestId>
{
    private readonly byte[]? _bytes;

    /// <summary>Wraps 32 bytes; throws <see cref="ArgumentException"/> for any other length.</summary>
    public RequestId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32)
        {
            throw new ArgumentException($"a request id has 32 bytes, got {bytes.Length}", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    /// <summary>The 32 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[32];

    /// <summary>The bytes a sender signs: <c>\x0Aic-request</c> || id.</summary>
    public byte[] SignedMessage() => DomainSeparators.Prefix(DomainSeparators.Request, Bytes);

    /// <summary>Lower-case hex.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bytes);

    /// <inheritdoc/>
    public bool Equals(RequestId other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RequestId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(Bytes[..4]);

    /// <summary>Equality on bytes.</summary>
    public static bool operator ==(RequestId a, RequestId b) => a.Equals(b);

    /// <summary>Inequality on bytes.</summary>
    public static bool operator !=(RequestId a, RequestId b) => !a.Equals(b);
}
