namespace InternetIdentity.Protocol.HashTrees;

/// <summary>The outcome of a hash-tree lookup as the interface specification defines it.</summary>
public enum LookupStatus
{
    /// <summary>The path leads to a leaf (or, for subtree lookups, to a subtree).</summary>
    Found,

    /// <summary>The tree proves that the path is not there.</summary>
    Absent,

    /// <summary>The tree is pruned where the path would be: nothing can be said.</summary>
    Unknown,

    /// <summary>The path ends at a fork or label, or passes through a leaf: the tree does not fit the path.</summary>
    Error,
}

/// <summary>The result of <see cref="HashTree.LookupPath(ReadOnlySpan{Label})"/>: a status and, when Found, the leaf value.</summary>
public readonly record struct LookupResult(LookupStatus Status, ReadOnlyMemory<byte> Value)
{
    /// <summary>Absent.</summary>
    public static LookupResult Absent => new(LookupStatus.Absent, default);

    /// <summary>Unknown.</summary>
    public static LookupResult Unknown => new(LookupStatus.Unknown, default);

    /// <summary>Error.</summary>
    public static LookupResult Error => new(LookupStatus.Error, default);

    /// <summary>Whether the status is Found.</summary>
    public bool IsFound => Status == LookupStatus.Found;
}

/// <summary>The result of a subtree lookup: a status and, when Found, the subtree at the path.</summary>
public readonly record struct SubtreeLookupResult(LookupStatus Status, HashTree? Tree);
