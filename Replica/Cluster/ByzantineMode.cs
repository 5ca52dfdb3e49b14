namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// How a replica misbehaves on purpose, for tests and research (<c>iinet node --byzantine</c>); <see cref="None"/> in any
/// real deployment. Its own consensus stays honest inside; only what it sends to peers is distorted.
/// </summary>
public enum ByzantineMode
{
    /// <summary>Honest.</summary>
    None,

    /// <summary>As block maker, signs two different blocks at each height it proposes, one for each half of its peers, and notarizes both.</summary>
    Equivocate,

    /// <summary>Gossips malformed and unsigned calls alongside everything it sends.</summary>
    JunkIngress,

    /// <summary>Sends validly signed notarization and finalization shares for blocks that do not exist, at its height and ahead.</summary>
    FloodShares,

    /// <summary>Sends shares with broken signatures and shares claiming other replicas as their signers.</summary>
    ForgeShares,

    /// <summary>Serves checkpoints whose pieces are corrupted.</summary>
    BadCheckpoint,

    /// <summary>Sends nothing to its peers and serves no checkpoints.</summary>
    Silent,
}

/// <summary>The spelling of <see cref="ByzantineMode"/> on the command line (<c>junk-ingress</c>, ...).</summary>
public static class ByzantineModes
{
    private static readonly (ByzantineMode Mode, string Name)[] Names =
    [
        (ByzantineMode.Equivocate, "equivocate"), (ByzantineMode.JunkIngress, "junk-ingress"), (ByzantineMode.FloodShares, "flood-shares"),
        (ByzantineMode.ForgeShares, "forge-shares"), (ByzantineMode.BadCheckpoint, "bad-checkpoint"), (ByzantineMode.Silent, "silent"),
    ];

    /// <summary>Every misbehaviour's command-line name.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Names.Select(n => n.Name)];

    /// <summary>The command-line name of a misbehaviour.</summary>
    public static string Name(ByzantineMode mode) =>
        Names.FirstOrDefault(n => n.Mode == mode).Name ?? throw new ArgumentException($"{mode} has no command-line name", nameof(mode));

    /// <summary>The misbehaviour named <paramref name="name"/>, or false.</summary>
    public static bool TryParse(string? name, out ByzantineMode mode)
    {
        mode = Names.FirstOrDefault(n => n.Name == name).Mode;
        return mode != ByzantineMode.None;
    }
}
