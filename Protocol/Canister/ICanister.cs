namespace InternetIdentity.Protocol.Canister;

/// <summary>
/// A canister: a deterministic state machine behind Candid entry points.
/// <para>
/// Traps: an update that fails returns <see cref="CanisterReply.Trap"/> (reject code 5) and MUST leave its
/// state exactly as before the call. We chose the canister's own transactional design (validate everything,
/// then commit) over a snapshot per call, because a snapshot of II's state at 20,000 calls per second is too
/// dear. The executor backs this up: if an entry point throws instead (a bug), it records reject code 5 and
/// restores the canister from the last snapshot it holds (see <see cref="ICanisterSnapshots"/>), replaying the
/// calls since, so a throwing call never changes state either.
/// </para>
/// <para>Queries never change state: whatever a query does is dropped.</para>
/// </summary>
public interface ICanister
{
    /// <summary>Runs an update method with its Candid argument; the state may change only if it replies.</summary>
    CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument);

    /// <summary>Runs a query method with its Candid argument; the state does not change.</summary>
    CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument);

    /// <summary>The data the canister certifies (at most 32 bytes); set by updates, read after each one.</summary>
    ReadOnlyMemory<byte> CertifiedData { get; }

    /// <summary>The SHA-256 hash of the canister's module (the <c>/canister/&lt;id&gt;/module_hash</c> leaf).</summary>
    ReadOnlyMemory<byte> ModuleHash { get; }

    /// <summary>Metadata sections by name (e.g. <c>candid:service</c>).</summary>
    IReadOnlyDictionary<string, CanisterMetadata> Metadata { get; }

    /// <summary>The update and query methods the canister exports (fixed for the life of its module).</summary>
    ExportedMethods Exports { get; }

    /// <summary>
    /// True when the canister itself guarantees that an update which throws, traps or rejects leaves its state exactly
    /// as before (it computes the new state aside and commits only on a reply) and that its certified data stays within
    /// <see cref="CanisterContract.MaxCertifiedDataLength"/>. The executor then takes no rollback snapshot for it; a
    /// canister that is not transactional (the default) is snapshotted once per batch and restored if a call throws.
    /// </summary>
    bool IsTransactional => false;
}

/// <summary>
/// A canister whose state is immutable behind one reference, so that a view of it costs O(1): the replica keeps the view
/// of each height's state and runs queries on the certified one without waiting for the execution of later heights.
/// </summary>
public interface ICanisterQueryView
{
    /// <summary>A canister answering queries on the current state; later updates to this canister do not change it.</summary>
    ICanister QueryView();
}

/// <summary>Snapshot and restore of a canister's whole state (checkpoints, catch-up, rollback after a fault).</summary>
public interface ICanisterSnapshots
{
    /// <summary>The state as bytes; equal states give equal bytes.</summary>
    byte[] Snapshot();

    /// <summary>Replaces the state with a snapshot's.</summary>
    /// <exception cref="FormatException">the bytes are not a snapshot of this canister.</exception>
    void Restore(ReadOnlySpan<byte> snapshot);
}

/// <summary>
/// A canister whose snapshot can be written into a buffer of the caller's (a checkpoint) instead of an array of its own:
/// at a million anchors II's snapshot is a quarter of a gigabyte, and a checkpoint would otherwise hold it twice.
/// </summary>
public interface ICanisterSnapshotWriter : ICanisterSnapshots
{
    /// <summary>The snapshot of the state as it is now, to be written later; equal to what <see cref="ICanisterSnapshots.Snapshot"/> returns.</summary>
    IPreparedSnapshot PrepareSnapshot();
}

/// <summary>A canister snapshot whose length is known, written on demand (see <see cref="ICanisterSnapshotWriter"/>).</summary>
public interface IPreparedSnapshot
{
    /// <summary>The snapshot's length in bytes.</summary>
    int Length { get; }

    /// <summary>Writes the snapshot into exactly <see cref="Length"/> bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <see cref="Length"/> bytes long.</exception>
    void WriteTo(Memory<byte> destination);
}

/// <summary>A metadata section of a canister module.</summary>
/// <param name="Content">The section's bytes (for <c>candid:service</c>, the .did text in UTF-8).</param>
/// <param name="IsPublic">True for <c>icp:public</c> sections (readable by anyone), false for <c>icp:private</c>.</param>
public sealed record CanisterMetadata(ReadOnlyMemory<byte> Content, bool IsPublic);

/// <summary>Constants and checks of the canister contract.</summary>
public static class CanisterContract
{
    /// <summary>The most bytes of certified data a canister may set.</summary>
    public const int MaxCertifiedDataLength = 32;

    /// <summary>The metadata section holding the canister's Candid interface.</summary>
    public const string CandidServiceMetadata = "candid:service";

    /// <summary>Checks the certified data a canister exposes (an executor calls this after each update).</summary>
    /// <exception cref="InvalidOperationException">more than 32 bytes: a canister bug.</exception>
    public static ReadOnlyMemory<byte> CheckCertifiedData(ReadOnlyMemory<byte> data) =>
        data.Length <= MaxCertifiedDataLength
            ? data
            : throw new InvalidOperationException($"certified data is {data.Length} bytes; at most {MaxCertifiedDataLength} are allowed");

    internal static void CheckPrincipal(ReadOnlyMemory<byte> principal, string parameter)
    {
        if (principal.Length > Candid.CandidPrincipal.MaxLength)
        {
            throw new ArgumentException($"a principal has at most {Candid.CandidPrincipal.MaxLength} bytes, got {principal.Length}", parameter);
        }
    }
}
