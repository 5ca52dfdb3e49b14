using InternetIdentity.Protocol.Candid;

namespace InternetIdentity.Protocol.Management;

// The Candid types of the management canister's canister snapshot methods, as the interface specification's ic.did spells them.

/// <summary>The argument of <c>take_canister_snapshot</c>.</summary>
/// <param name="CanisterId">The canister to snapshot.</param>
/// <param name="ReplaceSnapshot">A snapshot of it to replace, if any.</param>
/// <param name="UninstallCode">Whether to uninstall the code after taking the snapshot.</param>
/// <param name="SenderCanisterVersion">The calling canister's version (kept in the canister history's origin).</param>
public sealed record TakeSnapshotArgs(CandidPrincipal CanisterId, byte[]? ReplaceSnapshot = null, bool? UninstallCode = null, ulong? SenderCanisterVersion = null);

/// <summary>The argument of <c>load_canister_snapshot</c> and <c>delete_canister_snapshot</c>.</summary>
/// <param name="CanisterId">The canister.</param>
/// <param name="SnapshotId">The snapshot.</param>
/// <param name="SenderCanisterVersion">The calling canister's version (kept in the canister history's origin).</param>
public sealed record SnapshotIdArgs(CandidPrincipal CanisterId, byte[] SnapshotId, ulong? SenderCanisterVersion = null);

/// <summary>The management canister's <c>snapshot</c> record.</summary>
/// <param name="Id">The snapshot id.</param>
/// <param name="TakenAtTimestamp">When it was taken (nanoseconds since the epoch).</param>
/// <param name="TotalSize">Its size in bytes.</param>
public sealed record SnapshotRecord(byte[] Id, ulong TakenAtTimestamp, ulong TotalSize);
