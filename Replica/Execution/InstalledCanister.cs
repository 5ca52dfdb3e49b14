using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Execution;

/// <summary>A canister installed on the subnet: its id, code (the canister contract) and controllers.</summary>
/// <param name="Id">The canister id.</param>
/// <param name="Canister">The canister.</param>
/// <param name="Controllers">Its controllers.</param>
public sealed record InstalledCanister(Principal Id, ICanister Canister, IReadOnlyList<Principal> Controllers);
