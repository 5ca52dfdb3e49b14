using System.Text;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Protocol.HashTrees;

/// <summary>A hash-tree label: raw bytes, ordered bytewise. Converts implicitly from text (UTF-8), bytes and principals.</summary>
public readonly struct Label : IEquatable<Label>, IComparable<Label>
{
    private readonly byte[]? _bytes;

    /// <summary>Wraps the given bytes (not copied).</summary>
    public Label(byte[] bytes) => _bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));

    /// <summary>The label's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The label's bytes as an array (not a copy).</summary>
    public byte[] Array => _bytes ?? [];

    /// <summary>A label from UTF-8 text.</summary>
    public static implicit operator Label(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>A label from raw bytes.</summary>
    public static implicit operator Label(byte[] bytes) => new(bytes);

    /// <summary>A label from a principal's bytes.</summary>
    public static implicit operator Label(Principal principal) => new(principal.ToArray());

    /// <summary>Printable ASCII labels as text, others as <c>0x</c>-prefixed hex.</summary>
    public override string ToString()
    {
        ReadOnlySpan<byte> b = Bytes;
        foreach (byte x in b)
        {
            if (x < 0x20 || x > 0x7E)
            {
                return "0x" + Convert.ToHexStringLower(b);
            }
        }

        return b.Length == 0 ? "0x" : Encoding.ASCII.GetString(b);
    }

    /// <inheritdoc/>
    public bool Equals(Label other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Label other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    /// <summary>Bytewise order, a proper prefix first.</summary>
    public int CompareTo(Label other) => Bytes.SequenceCompareTo(other.Bytes);

    /// <summary>Equality on bytes.</summary>
    public static bool operator ==(Label a, Label b) => a.Equals(b);

    /// <summary>Inequality on bytes.</summary>
    public static bool operator !=(Label a, Label b) => !a.Equals(b);
}
