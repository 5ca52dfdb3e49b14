using InternetIdentity.IdentityCanister;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Execution;

namespace InternetIdentity.Replica.Hosting;

/// <summary>How a local subnet's Internet Identity is installed (what <c>iinet up --ii-...</c> chooses).</summary>
/// <param name="IiDummyAuth">II's frontend signs with a software key instead of a passkey, as II's development builds do.</param>
/// <param name="IiCaptcha">II asks for a captcha on registration (with dummy auth, II's dummy captcha: the solution is "a").</param>
public sealed record SubnetCanisterOptions(bool IiDummyAuth = false, bool IiCaptcha = false);

/// <summary>The canisters a local subnet runs, at their mainnet ids.</summary>
public static class SubnetCanisters
{
    /// <summary>Internet Identity's canister id: <c>rdmx6-jaaaa-aaaaa-aaadq-cai</c> (index 7), as on mainnet.</summary>
    public static Principal InternetIdentityId { get; } = Principal.CanisterId(7);

    /// <summary>A fresh set of the subnet's canisters (one per replica), II as II's local builds configure it.</summary>
    public static IReadOnlyList<InstalledCanister> Create() => Create(new SubnetCanisterOptions());

    /// <summary>A fresh set of the subnet's canisters (one per replica) with the given options.</summary>
    public static IReadOnlyList<InstalledCanister> Create(SubnetCanisterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return
        [
            new InstalledCanister(WhoamiCanister.Id, new WhoamiCanister(), []),
            new InstalledCanister(InternetIdentityId,
                InternetIdentityCanister.InstallForLocalDevelopment(InternetIdentityId, options.IiDummyAuth, options.IiCaptcha), []),
        ];
    }
}
