using InternetIdentity.IdentityCanister;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Execution;

namespace InternetIdentity.Replica.Hosting;

/// <summary>The canisters a local subnet runs, at their mainnet ids.</summary>
public static class SubnetCanisters
{
    /// <summary>Internet Identity's canister id: <c>rdmx6-jaaaa-aaaaa-aaadq-cai</c> (index 7), as on mainnet.</summary>
    public static Principal InternetIdentityId { get; } = Principal.CanisterId(7);

    /// <summary>A fresh set of the subnet's canisters (one per replica).</summary>
    public static IReadOnlyList<InstalledCanister> Create() =>
    [
        new InstalledCanister(WhoamiCanister.Id, new WhoamiCanister(), []),
        new InstalledCanister(InternetIdentityId, InternetIdentityCanister.InstallForLocalDevelopment(InternetIdentityId), []),
    ];
}
