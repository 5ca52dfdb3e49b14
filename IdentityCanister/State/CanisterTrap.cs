namespace InternetIdentity.IdentityCanister.State;

/// <summary>
/// The canister traps: the call is rejected with reject code 5 (CANISTER_ERROR) and every state change it made is
/// dropped (the canister keeps the state from before the call).
/// </summary>
internal sealed class CanisterTrap(string message) : Exception(message);
