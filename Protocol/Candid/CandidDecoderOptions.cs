namespace InternetIdentity.Protocol.Candid;

/// <summary>
/// Hard limits that keep hostile input from allocating or recursing without bound. Every value decoded or
/// skipped costs one unit (a vector charges its length before reading its elements, so a vector of a
/// million zero-sized values is refused at once); a blob costs one unit whatever its length, since its
/// bytes are bounded by the input.
/// </summary>
public sealed record CandidDecoderOptions
{
    /// <summary>The defaults: depth 128, 2,000,000 value units, 10,000 type table entries.</summary>
    public static CandidDecoderOptions Default { get; } = new();

    /// <summary>Deepest nesting of values (and of type comparisons) accepted.</summary>
    public int MaxDepth { get; init; } = 128;

    /// <summary>Most value units one message may cost (decoded, skipped and retried values).</summary>
    public int MaxCost { get; init; } = 2_000_000;

    /// <summary>Most entries in the type table.</summary>
    public int MaxTypeTableLength { get; init; } = 10_000;

    /// <summary>Most steps spent on subtype checks of function and service references.</summary>
    public int MaxSubtypeSteps { get; init; } = 100_000;
}

/// <summary>A decoded message: the argument types found on the wire and the values.</summary>
/// <param name="Types">The argument types as the sender described them.</param>
/// <param name="Values">The argument values.</param>
public sealed record CandidMessage(IReadOnlyList<CandidType> Types, IReadOnlyList<CandidValue> Values);
