using System.Collections.Immutable;

namespace InternetIdentity.IdentityCanister.State;

/// <summary>
/// Orders credential ids by content, so that the credential index is keyed by the device's own id bytes (shared with
/// the device) instead of a hex string per credential: at a million anchors that is about 150 bytes per anchor.
/// </summary>
internal sealed class CredentialIdComparer : IComparer<ImmutableArray<byte>>
{
    /// <summary>The comparer.</summary>
    public static CredentialIdComparer Instance { get; } = new();

    private CredentialIdComparer()
    {
    }

    /// <summary>Byte-wise order, which is also the order of the ids' lowercase hex strings (the snapshot's order).</summary>
    public int Compare(ImmutableArray<byte> x, ImmutableArray<byte> y) => x.AsSpan().SequenceCompareTo(y.AsSpan());
}
