using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>Lagrange interpolation at 0 over node indices (x_i = i + 1).</summary>
public static class Lagrange
{
    /// <summary>
    /// λ_i = Π_{j≠i} x_j / (x_j - x_i) for the given distinct node indices, so that f(0) = Σ λ_i f(x_i).
    /// </summary>
    public static Fr[] CoefficientsAtZero(IReadOnlyList<uint> nodeIndices)
    {
        ArgumentNullException.ThrowIfNull(nodeIndices);
        if (nodeIndices.Distinct().Count() != nodeIndices.Count)
        {
            throw new ArgumentException("Node indices must be distinct.", nameof(nodeIndices));
        }

        int n = nodeIndices.Count;
        var xs = new Fr[n];
        for (int i = 0; i < n; i++)
        {
            xs[i] = NodeIndex.ToX(nodeIndices[i]);
        }

        var numerators = new Fr[n];
        var denominators = new Fr[n];
        for (int i = 0; i < n; i++)
        {
            Fr num = Fr.One, den = Fr.One;
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                {
                    num *= xs[j];
                    den *= xs[j] - xs[i];
                }
            }

            numerators[i] = num;
            denominators[i] = den;
        }

        Fr.BatchInvert(denominators);
        for (int i = 0; i < n; i++)
        {
            numerators[i] *= denominators[i];
        }

        return numerators;
    }
}
