namespace InternetIdentity.Protocol.Candid.Text;

/// <summary>
/// A Candid value as written in text, before it has a type (the text format types a value only against a type, or by
/// inference): <see cref="CandidTextValues.ToValue"/> and <see cref="CandidTextValues.InferType"/> give it one.
/// </summary>
public abstract record CandidTextValue
{
    /// <summary>The line where the value starts (1-based).</summary>
    public int Line { get; init; }

    /// <summary>The column where the value starts (1-based).</summary>
    public int Column { get; init; }

    /// <summary>The type written after it (<c>5 : nat8</c>), if any.</summary>
    public CandidType? Annotation { get; init; }

    /// <summary><c>null</c>.</summary>
    public sealed record Null : CandidTextValue;

    /// <summary><c>true</c> or <c>false</c>.</summary>
    /// <param name="Value">The value.</param>
    public sealed record Bool(bool Value) : CandidTextValue;

    /// <summary>A number literal (decimal, hex, or with a fraction or exponent).</summary>
    /// <param name="Literal">The digits as written (underscores allowed).</param>
    /// <param name="Negative">Whether a minus sign preceded it.</param>
    public sealed record Number(string Literal, bool Negative) : CandidTextValue;

    /// <summary>A text literal's bytes (escapes resolved).</summary>
    /// <param name="Bytes">The UTF-8 bytes.</param>
    public sealed record Text(byte[] Bytes) : CandidTextValue;

    /// <summary><c>blob "..."</c>.</summary>
    /// <param name="Bytes">The bytes.</param>
    public sealed record Blob(byte[] Bytes) : CandidTextValue;

    /// <summary><c>opt v</c>.</summary>
    /// <param name="Value">The value inside.</param>
    public sealed record Opt(CandidTextValue Value) : CandidTextValue;

    /// <summary><c>vec { ... }</c>.</summary>
    /// <param name="Elements">The elements.</param>
    public sealed record Vec(IReadOnlyList<CandidTextValue> Elements) : CandidTextValue;

    /// <summary><c>record { ... }</c> (a tuple's fields are numbered).</summary>
    /// <param name="Fields">The fields in written order.</param>
    public sealed record Record(IReadOnlyList<(CandidLabel Label, CandidTextValue Value)> Fields) : CandidTextValue;

    /// <summary><c>variant { name = v }</c>.</summary>
    /// <param name="Label">The case.</param>
    /// <param name="Value">Its payload (<c>null</c> when omitted).</param>
    public sealed record Variant(CandidLabel Label, CandidTextValue Value) : CandidTextValue;

    /// <summary><c>principal "..."</c>.</summary>
    /// <param name="Bytes">The principal's bytes.</param>
    public sealed record Principal(byte[] Bytes) : CandidTextValue;

    /// <summary><c>service "..."</c>.</summary>
    /// <param name="Bytes">The service's principal bytes.</param>
    public sealed record Service(byte[] Bytes) : CandidTextValue;

    /// <summary><c>func "...".method</c>.</summary>
    /// <param name="Target">The service's principal bytes.</param>
    /// <param name="Method">The method name.</param>
    public sealed record Func(byte[] Target, string Method) : CandidTextValue;
}
