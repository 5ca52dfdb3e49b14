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

    /// <summary>The checksummed textual form (hex if the bytes are not a valid principal).</summary>
    public override string ToString() =>
        Principals.Principal.TryFromBytes(Span, out Principals.Principal principal) ? principal.ToString() : Convert.ToHexStringLower(Span);

    /// <summary>The same principal as a <see cref="Principals.Principal"/>.</summary>
    public Principals.Principal ToPrincipal() => Principals.Principal.FromBytes(Span);

    /// <summary>Wraps a <see cref="Principals.Principal"/> for the Candid codec.</summary>
    public static CandidPrincipal FromPrincipal(Principals.Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return new CandidPrincipal(principal.Bytes);
    }

    /// <summary>Equality of bytes.</summary>
    public static bool operator ==(CandidPrincipal left, CandidPrincipal right) => left.Equals(right);

    /// <summary>Inequality of bytes.</summary>
    public static bool operator !=(CandidPrincipal left, CandidPrincipal right) => !left.Equals(right);
}
