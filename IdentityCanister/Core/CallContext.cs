using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.IdentityCanister.Core;

/// <summary>
/// What the system gives one call: the caller, the time in ns since the epoch, 32 bytes of randomness (raw_rand)
/// and, for queries, the certificate of the canister's certified data. (Stand-in for Protocol's canister contract
/// until it lands; the lead moves it.)
/// </summary>
internal sealed record CallContext(Principal Caller, ulong Time, ReadOnlyMemory<byte> Randomness, byte[]? Certificate = null);
