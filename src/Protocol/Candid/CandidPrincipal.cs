namespace InternetIdentity.Protocol.Candid;

/// <summary>
/// The raw bytes of a principal as Candid carries them (at most 29 bytes). Textual form and the principal
/// classes live in the principal module; the codec only needs the bytes.
/// </summary>
public readonly struct CandidPrincipal : IEquatable<CandidPrincipal>
{
    /// <summary>The longest principal the Internet Computer allows.</summary>
    public const int MaxLength = 29;

    private readonly byte[]? _bytes;

    /// <summary>Wraps a copy of the bytes.</summary>
    public CandidPrincipal(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new ArgumentException($"a principal has at most {MaxLength} bytes, got {bytes.Length}", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    /// <summary>The principal's bytes.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes ?? [];

    /// <summary>The principal's bytes as a span.</summary>
    public ReadOnlySpan<byte> Span => _bytes ?? [];

    /// <inheritdoc />
    public bool Equals(CandidPrincipal other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CandidPrincipal other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(Span);
        return h.ToHashCode();
    }

    /// <summary>Hex of the bytes (the textual principal form belongs to the principal module).</summary>
    public override string ToString() => Convert.ToHexString(Span).ToLowerInvariant();

    /// <summary>Equality of bytes.</summary>
    public static bool operator ==(CandidPrincipal left, CandidPrincipal right) => left.Equals(right);

    /// <summary>Inequality of bytes.</summary>
    public static bool operator !=(CandidPrincipal left, CandidPrincipal right) => !left.Equals(right);
}
