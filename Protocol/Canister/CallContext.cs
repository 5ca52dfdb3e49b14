namespace InternetIdentity.Protocol.Canister;

/// <summary>What an update call sees of the outside world; time and randomness enter only here.</summary>
public sealed record CallContext
{
    /// <summary>Creates a context; the randomness must be 32 bytes.</summary>
    /// <param name="caller">The caller's principal bytes.</param>
    /// <param name="timeNanos">The block time, nanoseconds since 1970-01-01 UTC.</param>
    /// <param name="randomness">32 bytes from the round's random beacon.</param>
    /// <param name="canisterId">The called canister's principal bytes.</param>
    public CallContext(ReadOnlyMemory<byte> caller, ulong timeNanos, ReadOnlyMemory<byte> randomness, ReadOnlyMemory<byte> canisterId)
    {
        if (randomness.Length != 32)
        {
            throw new ArgumentException($"randomness must be 32 bytes, got {randomness.Length}", nameof(randomness));
        }

        CanisterContract.CheckPrincipal(caller, nameof(caller));
        CanisterContract.CheckPrincipal(canisterId, nameof(canisterId));
        Caller = caller;
        TimeNanos = timeNanos;
        Randomness = randomness;
        CanisterId = canisterId;
    }

    /// <summary>The caller's principal bytes.</summary>
    public ReadOnlyMemory<byte> Caller { get; }

    /// <summary>The block time, nanoseconds since 1970-01-01 UTC.</summary>
    public ulong TimeNanos { get; }

    /// <summary>32 bytes of randomness (the same on every replica).</summary>
    public ReadOnlyMemory<byte> Randomness { get; }

    /// <summary>The called canister's principal bytes.</summary>
    public ReadOnlyMemory<byte> CanisterId { get; }
}

/// <summary>What a query sees: the certified state's time and, when there is one, its certificate.</summary>
public sealed record QueryContext
{
    /// <summary>Creates a query context.</summary>
    /// <param name="caller">The caller's principal bytes.</param>
    /// <param name="timeNanos">The time of the state the query runs on, nanoseconds since 1970-01-01 UTC.</param>
    /// <param name="certificate">The CBOR certificate of that state (what <c>ic0.data_certificate_copy</c> gives), if any.</param>
    /// <param name="canisterId">The called canister's principal bytes.</param>
    public QueryContext(ReadOnlyMemory<byte> caller, ulong timeNanos, ReadOnlyMemory<byte>? certificate, ReadOnlyMemory<byte> canisterId)
    {
        CanisterContract.CheckPrincipal(caller, nameof(caller));
        CanisterContract.CheckPrincipal(canisterId, nameof(canisterId));
        Caller = caller;
        TimeNanos = timeNanos;
        Certificate = certificate;
        CanisterId = canisterId;
    }

    /// <summary>The caller's principal bytes.</summary>
    public ReadOnlyMemory<byte> Caller { get; }

    /// <summary>The state's time, nanoseconds since 1970-01-01 UTC.</summary>
    public ulong TimeNanos { get; }

    /// <summary>The certificate of the state, when available (replicated queries have none).</summary>
    public ReadOnlyMemory<byte>? Certificate { get; }

    /// <summary>The called canister's principal bytes.</summary>
    public ReadOnlyMemory<byte> CanisterId { get; }
}
