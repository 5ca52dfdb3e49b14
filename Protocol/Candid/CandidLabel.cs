using System.Globalization;
using System.Text;

namespace InternetIdentity.Protocol.Candid;

/// <summary>
/// A record or variant field label: the 32-bit id on the wire, and the name it was hashed from when known.
/// Labels compare by id only, as Candid does.
/// </summary>
public readonly struct CandidLabel : IEquatable<CandidLabel>, IComparable<CandidLabel>
{
    private CandidLabel(uint id, string? name)
    {
        Id = id;
        Name = name;
    }

    /// <summary>The field id (idl_hash of the name, or the number of a numbered or tuple field).</summary>
    public uint Id { get; }

    /// <summary>The field name, when the label was made from one.</summary>
    public string? Name { get; }

    /// <summary>A label for a named field; its id is <see cref="Hash"/> of the name.</summary>
    public static CandidLabel Named(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new CandidLabel(Hash(name), name);
    }

    /// <summary>A label for a numbered field (tuple positions use 0..n-1).</summary>
    public static CandidLabel Numbered(uint id) => new(id, null);

    /// <summary>The Candid field hash: <c>h = h * 223 + b</c> over the UTF-8 bytes, modulo 2^32.</summary>
    public static uint Hash(string name)
    {
        uint h = 0;
        Span<byte> buffer = stackalloc byte[256];
        int max = Encoding.UTF8.GetMaxByteCount(name.Length);
        byte[] bytes = max <= buffer.Length ? [] : new byte[max];
        Span<byte> utf8 = max <= buffer.Length ? buffer : bytes;
        int n = Encoding.UTF8.GetBytes(name, utf8);
        foreach (byte b in utf8[..n])
        {
            h = unchecked((h * 223) + b);
        }

        return h;
    }

    /// <inheritdoc />
    public bool Equals(CandidLabel other) => Id == other.Id;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CandidLabel other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)Id;

    /// <inheritdoc />
    public int CompareTo(CandidLabel other) => Id.CompareTo(other.Id);

    /// <summary>Textual form: the name when it is a plain identifier, else quoted, else the number.</summary>
    public override string ToString()
    {
        if (Name is null)
        {
            return Id.ToString(CultureInfo.InvariantCulture);
        }

        return IsIdentifier(Name) ? Name : CandidTextWriter.Quote(Name);
    }

    /// <summary>Equality by id.</summary>
    public static bool operator ==(CandidLabel left, CandidLabel right) => left.Equals(right);

    /// <summary>Inequality by id.</summary>
    public static bool operator !=(CandidLabel left, CandidLabel right) => !left.Equals(right);

    /// <summary>Ordering by id.</summary>
    public static bool operator <(CandidLabel left, CandidLabel right) => left.Id < right.Id;

    /// <summary>Ordering by id.</summary>
    public static bool operator >(CandidLabel left, CandidLabel right) => left.Id > right.Id;

    /// <summary>Ordering by id.</summary>
    public static bool operator <=(CandidLabel left, CandidLabel right) => left.Id <= right.Id;

    /// <summary>Ordering by id.</summary>
    public static bool operator >=(CandidLabel left, CandidLabel right) => left.Id >= right.Id;

    private static bool IsIdentifier(string s)
    {
        if (s.Length == 0 || !(char.IsAsciiLetter(s[0]) || s[0] == '_'))
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
