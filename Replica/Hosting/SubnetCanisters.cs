using InternetIdentity.IdentityCanister;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Execution;

namespace InternetIdentity.Replica.Hosting;

/// <summary>How a local subnet's canisters are installed (what <c>iinet up --ii-... --assets</c> chooses).</summary>
/// <param name="IiDummyAuth">II's frontend signs with a software key instead of a passkey, as II's development builds do.</param>
/// <param name="IiCaptcha">II asks for a captcha on registration (with dummy auth, II's dummy captcha: the solution is "a").</param>
/// <param name="Sites">The file sets hosted by assets canisters, at <see cref="SubnetCanisters.AssetsCanisterId"/> 0, 1, ...</param>
/// <param name="IiAlternativeOrigins">The origins II's <c>/.well-known/ii-alternative-origins</c> lists (none: not served).</param>
/// <param name="Controllers">The controllers of II and the assets canisters (none by default), who may snapshot and restore them.</param>
public sealed record SubnetCanisterOptions(bool IiDummyAuth = false, bool IiCaptcha = false, IReadOnlyList<IReadOnlyList<(string Path, byte[] Body)>>? Sites = null,
    IReadOnlyList<string>? IiAlternativeOrigins = null, IReadOnlyList<Principal>? Controllers = null);

/// <summary>The canisters a local subnet runs, at their mainnet ids.</summary>
public static class SubnetCanisters
{
    /// <summary>Internet Identity's canister id: <c>rdmx6-jaaaa-aaaaa-aaadq-cai</c> (index 7), as on mainnet.</summary>
    public static Principal InternetIdentityId { get; } = Principal.CanisterId(7);

    /// <summary>The id of the i-th assets canister: the subnet's next free canister ids (1, 2, ... leaving out II's 7).</summary>
    public static Principal AssetsCanisterId(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ulong id = (ulong)index + 1;
        return Principal.CanisterId(id >= 7 ? id + 1 : id);
    }

    /// <summary>A fresh set of the subnet's canisters (one per replica), II as II's local builds configure it.</summary>
    public static IReadOnlyList<InstalledCanister> Create() => Create(new SubnetCanisterOptions());

    /// <summary>A fresh set of the subnet's canisters (one per replica) with the given options.</summary>
    public static IReadOnlyList<InstalledCanister> Create(SubnetCanisterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<Principal> controllers = options.Controllers ?? [];
        return
        [
            new InstalledCanister(WhoamiCanister.Id, new WhoamiCanister(), []),
            new InstalledCanister(InternetIdentityId,
                InternetIdentityCanister.InstallForLocalDevelopment(InternetIdentityId, options.IiDummyAuth, options.IiCaptcha, options.IiAlternativeOrigins), controllers),
            .. (options.Sites ?? []).Select((files, i) => new InstalledCanister(AssetsCanisterId(i), new AssetsCanister(AssetsCanisterId(i), files), controllers)),
        ];
    }
}
