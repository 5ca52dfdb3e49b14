using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.State;

/// <summary>What the state tree shows of one canister under <c>/canister/&lt;id&gt;</c>.</summary>
/// <param name="Id">The canister id.</param>
/// <param name="CertifiedData">The data the canister certifies (at most 32 bytes).</param>
/// <param name="ModuleHash">SHA-256 of the module, or null for an empty canister.</param>
/// <param name="Controllers">The controllers.</param>
/// <param name="Metadata">Metadata sections by name.</param>
public sealed record CanisterStateView(
    Principal Id,
    byte[] CertifiedData,
    byte[]? ModuleHash,
    IReadOnlyList<Principal> Controllers,
    IReadOnlyDictionary<string, CanisterMetadata> Metadata);
