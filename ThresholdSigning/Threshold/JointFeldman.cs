using InternetIdentity.ThresholdSigning.Fields;

namespace InternetIdentity.ThresholdSigning.Threshold;

/// <summary>The outcome of a joint-Feldman key generation.</summary>
/// <param name="PublicKey">The joint key: the sum of the qualified dealers' public coefficients.</param>
/// <param name="Shares">Each receiver's combined secret share (index = receiver).</param>
/// <param name="QualifiedDealers">Dealers whose dealings every receiver accepted.</param>
/// <param name="ExcludedDealers">Dealers excluded because some receiver's share failed the Feldman check, or the
/// dealing had the wrong threshold or receiver count.</param>
public sealed record DkgResult(
    ThresholdPublicKey PublicKey,
    IReadOnlyList<SecretKeyShare> Shares,
    IReadOnlyList<uint> QualifiedDealers,
    IReadOnlyList<uint> ExcludedDealers);

/// <summary>
/// Dealerless key generation (joint Feldman, Pedersen 1991): every party deals a random polynomial; each receiver
/// checks its share of every dealing against the dealer's commitments and complains about bad ones; dealings with a
/// complaint are excluded; the joint public key and each share are the sums over the qualified dealings.
/// </summary>
public static class JointFeldman
{
    /// <summary>
    /// Runs the verification and combination for all receivers at once (the view of a simulator or a genesis tool).
    /// At least f+1 dealings must qualify so that one honest dealer's randomness is included.
    /// </summary>
    public static DkgResult Complete(IReadOnlyList<Dealing> dealings, int threshold, int receivers)
    {
        ArgumentNullException.ThrowIfNull(dealings);
        if (dealings.Select(d => d.DealerIndex).Distinct().Count() != dealings.Count)
        {
            throw new ArgumentException("Each dealer may contribute one dealing.", nameof(dealings));
        }

        var qualified = new List<Dealing>();
        var excluded = new List<uint>();
        foreach (Dealing d in dealings)
        {
            bool wellFormed = d.Threshold == threshold && d.Receivers == receivers;
            bool noComplaint = wellFormed && Enumerable.Range(0, receivers).All(j => d.VerifyShareFor((uint)j));
            if (noComplaint)
            {
                qualified.Add(d);
            }
            else
            {
                excluded.Add(d.DealerIndex);
            }
        }

        int needed = Thresholds.FaultsTolerated(receivers) + 1;
        if (qualified.Count < needed)
        {
            throw new InvalidOperationException(
                $"Only {qualified.Count} dealings qualified; at least {needed} are needed so that one honest dealer contributes.");
        }

        var publicKey = new ThresholdPublicKey(PublicCoefficients.Sum(qualified.Select(d => d.Commitments).ToList()));
        var shares = new SecretKeyShare[receivers];
        for (int j = 0; j < receivers; j++)
        {
            shares[j] = CombineShares((uint)j, qualified.Select(d => d.ShareFor((uint)j)).ToList());
        }

        return new DkgResult(publicKey, shares, qualified.Select(d => d.DealerIndex).ToList(), excluded);
    }

    /// <summary>One receiver's share of the joint key: the sum of its shares from the qualified dealings.</summary>
    public static SecretKeyShare CombineShares(uint receiverIndex, IReadOnlyList<SecretKeyShare> sharesFromQualifiedDealers)
    {
        ArgumentNullException.ThrowIfNull(sharesFromQualifiedDealers);
        Fr sum = Fr.Zero;
        foreach (SecretKeyShare s in sharesFromQualifiedDealers)
        {
            if (s.NodeIndex != receiverIndex)
            {
                throw new ArgumentException("Every share must belong to the same receiver.", nameof(sharesFromQualifiedDealers));
            }

            sum += s.Value;
        }

        return new SecretKeyShare(receiverIndex, sum);
    }
}
