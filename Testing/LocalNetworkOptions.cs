using InternetIdentity.Replica.Hosting;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Testing;

/// <summary>How to start a <see cref="LocalNetwork"/>; the defaults are those of <c>iinet up</c>.</summary>
public sealed record LocalNetworkOptions
{
    /// <summary>The number of replicas (n = 3f+1 tolerates f faults; default 4, between 1 and 100).</summary>
    public int Replicas { get; init; } = 4;

    /// <summary>Where the replicas persist; null (default) keeps everything in memory.</summary>
    public LocalNetworkStorage? Storage { get; init; }

    /// <summary>II's frontend signs with a software key instead of a passkey, as II's development builds do.</summary>
    public bool IiDummyAuth { get; init; }

    /// <summary>II asks for a captcha on registration (with dummy auth, II's dummy captcha whose solution is "a").</summary>
    public bool IiCaptcha { get; init; }

    /// <summary>Folders served by assets canisters, one canister per folder (<see cref="LocalNetwork.AssetsUrl"/>).</summary>
    public IReadOnlyList<string> AssetFolders { get; init; } = [];

    /// <summary>The origins II's <c>/.well-known/ii-alternative-origins</c> lists (none: not served).</summary>
    public IReadOnlyList<string>? IiAlternativeOrigins { get; init; }

    /// <summary>How time moves: with the wall clock (default), or only when set, advanced or ticked.</summary>
    public SubnetTimeMode TimeMode { get; init; } = SubnetTimeMode.System;

    /// <summary>
    /// Whether hosted (wasm) canisters pay the IC's fees for what they execute, as on a 13-node application subnet, and are
    /// refused with <c>IC0207</c> when out of cycles (off by default: balances exist, nothing is charged). Queries and
    /// the built-in canisters are free.
    /// </summary>
    public bool ChargeCycles { get; init; }

    /// <summary>The longest wait for the network to start and certify its first height (default 60 s).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest wait for a call of the harness (test anchors, sign-ins, time moves) to be certified (default 30 s).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The lowest level of the replicas' log lines kept in <see cref="LocalNetwork.Logs"/> (default Information).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>A logger factory that also receives the replicas' logs (e.g. the console); none by default.</summary>
    public ILoggerFactory? Logging { get; init; }

    /// <summary>Throws ArgumentException naming the first option that is out of range.</summary>
    internal void Validate()
    {
        if (Replicas is < 1 or > 100)
        {
            throw new ArgumentException($"Replicas: {Replicas} is not between 1 and 100", nameof(Replicas));
        }

        if (!Enum.IsDefined(TimeMode))
        {
            throw new ArgumentException($"TimeMode: {TimeMode} is not a time mode", nameof(TimeMode));
        }

        if (StartTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"StartTimeout: {StartTimeout} is not positive", nameof(StartTimeout));
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"CallTimeout: {CallTimeout} is not positive", nameof(CallTimeout));
        }

        if (AssetFolders is null || AssetFolders.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("AssetFolders: a folder is null or empty", nameof(AssetFolders));
        }

        foreach (string folder in AssetFolders)
        {
            if (!Directory.Exists(folder))
            {
                throw new ArgumentException($"AssetFolders: {Path.GetFullPath(folder)} does not exist", nameof(AssetFolders));
            }
        }
    }
}
