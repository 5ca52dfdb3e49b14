using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>Where node i's share sits on the polynomial: x = i + 1, as in the IC (x must never be zero).</summary>
public static class NodeIndex
{
    /// <summary>The evaluation point of a node index.</summary>
    public static Fr ToX(uint nodeIndex) => Fr.FromUInt64((ulong)nodeIndex + 1);
}
