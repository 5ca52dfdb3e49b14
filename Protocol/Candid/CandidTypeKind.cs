namespace InternetIdentity.Protocol.Candid;

/// <summary>The kinds of Candid types, named as in the Candid specification.</summary>
public enum CandidTypeKind
{
    /// <summary><c>null</c></summary>
    Null,
    /// <summary><c>bool</c></summary>
    Bool,
    /// <summary><c>nat</c> (unbounded)</summary>
    Nat,
    /// <summary><c>int</c> (unbounded)</summary>
    Int,
    /// <summary><c>nat8</c></summary>
    Nat8,
    /// <summary><c>nat16</c></summary>
    Nat16,
    /// <summary><c>nat32</c></summary>
    Nat32,
    /// <summary><c>nat64</c></summary>
    Nat64,
    /// <summary><c>int8</c></summary>
    Int8,
    /// <summary><c>int16</c></summary>
    Int16,
    /// <summary><c>int32</c></summary>
    Int32,
    /// <summary><c>int64</c></summary>
    Int64,
    /// <summary><c>float32</c></summary>
    Float32,
    /// <summary><c>float64</c></summary>
    Float64,
    /// <summary><c>text</c> (UTF-8)</summary>
    Text,
    /// <summary><c>reserved</c>: accepts any value and keeps none</summary>
    Reserved,
    /// <summary><c>empty</c>: has no values</summary>
    Empty,
    /// <summary><c>principal</c></summary>
    Principal,
    /// <summary><c>opt t</c></summary>
    Opt,
    /// <summary><c>vec t</c> (<c>blob</c> is <c>vec nat8</c>)</summary>
    Vec,
    /// <summary><c>record { ... }</c></summary>
    Record,
    /// <summary><c>variant { ... }</c></summary>
    Variant,
    /// <summary><c>func (...) -> (...)</c> reference</summary>
    Func,
    /// <summary><c>service { ... }</c> reference</summary>
    Service,
    /// <summary>A type from a future version of Candid (opcode below -24); only skipped.</summary>
    Future,
}

/// <summary>Binary type opcodes of the Candid wire format (signed LEB128 in the type table).</summary>
internal static class CandidOpcode
{
    public const int Null = -1, Bool = -2, Nat = -3, Int = -4, Nat8 = -5, Nat16 = -6, Nat32 = -7, Nat64 = -8;
    public const int Int8 = -9, Int16 = -10, Int32 = -11, Int64 = -12, Float32 = -13, Float64 = -14, Text = -15;
    public const int Reserved = -16, Empty = -17, Opt = -18, Vec = -19, Record = -20, Variant = -21, Func = -22;
    public const int Service = -23, Principal = -24;

    /// <summary>The opcode of a primitive kind, or 0 when the kind is not primitive.</summary>
    public static int OfPrimitive(CandidTypeKind kind) => kind switch
    {
        CandidTypeKind.Principal => Principal,
        <= CandidTypeKind.Empty => -1 - (int)kind,
        _ => 0,
    };

    /// <summary>The primitive kind of an opcode usable as a type reference, if it is one.</summary>
    public static bool TryPrimitive(long opcode, out CandidTypeKind kind)
    {
        if (opcode is <= -1 and >= Empty)
        {
            kind = (CandidTypeKind)(-1 - (int)opcode);
            return true;
        }

        kind = CandidTypeKind.Principal;
        return opcode == Principal;
    }
}
