using System.Diagnostics.CodeAnalysis;
using InternetIdentity.ThresholdSigning.Curves;
using InternetIdentity.ThresholdSigning.Fields;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>Lagrange combination of signature shares: σ = Σ λ_i σ_i over any t distinct shares.</summary>
public static class ThresholdCombiner
{
    /// <summary>Combines the first <paramref name="threshold"/> shares; false with a reason if too few or duplicated.</summary>
    public static bool TryCombine(IReadOnlyCollection<SignatureShare> shares, int threshold,
        [NotNullWhen(true)] out Signature? signature, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        signature = null;
        if (shares.Select(s => s.NodeIndex).Distinct().Count() != shares.Count)
        {
            error = "two signature shares come from the same node";
            return false;
        }

        if (shares.Count < threshold)
        {
            error = $"{shares.Count} signature shares, but the threshold is {threshold}";
            return false;
        }

        List<SignatureShare> used = shares.Take(threshold).ToList();
        Fr[] lambdas = Lagrange.CoefficientsAtZero(used.Select(s => s.NodeIndex).ToList());
        // One multi-scalar multiplication rather than t separate ones: all terms share one doubling chain.
        var points = new G1Projective[used.Count];
        for (int i = 0; i < used.Count; i++)
        {
            points[i] = G1Projective.FromAffine(used[i].Signature.Point);
        }

        signature = new Signature(G1Projective.MultiplySumVartime(points, lambdas).ToAffineVartime());
        error = null;
        return true;
    }
}
