namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>The IC's thresholds for a subnet of n = 3f+1 nodes (NiDkgTag::threshold_for_subnet_of_size).</summary>
public static class Thresholds
{
    /// <summary>f = (n - 1) / 3, the number of faulty nodes tolerated.</summary>
    public static int FaultsTolerated(int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        return (nodes - 1) / 3;
    }

    /// <summary>The high threshold n - f (2f+1 when n = 3f+1): the key that certifies state.</summary>
    public static int High(int nodes) => nodes - FaultsTolerated(nodes);

    /// <summary>The low threshold f + 1: the random beacon.</summary>
    public static int Low(int nodes) => FaultsTolerated(nodes) + 1;
}
