using InternetIdentity.Consensus.Crypto;

namespace InternetIdentity.Consensus.Core;

internal sealed partial class StepRun
{
    /// <summary>
    /// Whether a peer's beacon or certification share may be held at height h, and if so whether it counts as verified.
    /// Only signer indexes of the subnet other than this replica's are held (its own share it makes itself). A share is
    /// held unverified, unless an invalid share already claimed its signer at this height: then it is verified now (an
    /// invalid one is reported and dropped), so that a forged share costs one check, as it would without batching, and
    /// cannot keep the signer's real share out.
    /// </summary>
    private bool TryHoldShare(HeightPool p, IThresholdScheme scheme, SignatureShare share, byte[] message, Digest? root, out bool verified)
    {
        verified = false;
        if ((uint)share.NodeIndex >= (uint)_cfg.Replicas || share.NodeIndex == _me)
        {
            return false;
        }
        if (!p.SuspectShareSigners.Contains(share.NodeIndex))
        {
            return true;
        }
        if (!scheme.VerifyShare(share, message))
        {
            Event(ProtocolEventKind.InvalidArtifact, p.Height, root, share.NodeIndex);
            return false;
        }
        verified = true;
        return true;
    }

    /// <summary>
    /// A signer has one slot per height for beacon and for certification shares. When a share arrives for a slot that
    /// an unverified share already holds (<paramref name="held"/>, a share of <paramref name="heldMessage"/>), the held
    /// one is verified now, so that a forgery that came first cannot keep the signer's real share out until a
    /// combination fails: if it is valid it keeps the slot (threshold shares are unique, so the newcomer is not another
    /// valid share of the same message; an honest signer signs one message per height) and the newcomer is dropped and
    /// counted; if not, it is reported, its signer becomes suspect at this height (the newcomer is then verified before
    /// it is held, see <see cref="TryHoldShare"/>) and the slot is free. A verified holder costs the newcomer no check.
    /// Returns true when the slot is free; <paramref name="p"/> records what was learnt.
    /// </summary>
    private bool FreeSlot(ref HeightPool p, IThresholdScheme scheme, HeldShare held, byte[] heldMessage, out HeldShare? keep, Digest? root)
    {
        keep = null;
        if (!held.Verified && !scheme.VerifyShare(held.Share, heldMessage))
        {
            p = p with { SuspectShareSigners = p.SuspectShareSigners.Add(held.Share.NodeIndex) };
            Event(ProtocolEventKind.InvalidArtifact, p.Height, root, held.Share.NodeIndex);
            return true;
        }
        keep = held with { Verified = true };
        Dropped();
        return false;
    }

    /// <summary>
    /// The combined signature once a threshold of shares is held, else null. Shares are held unverified: the first
    /// threshold of them (verified ones first) are combined and only the result is verified, one pairing check instead
    /// of one per share. Threshold signatures are unique, so a result that verifies is the signature whatever the shares
    /// were. If it does not verify, every unverified share is checked on its own; invalid ones are dropped and reported,
    /// and their signer becomes suspect at this height (see <see cref="TryHoldShare"/>).
    /// </summary>
    private byte[]? CombineShares(IThresholdScheme scheme, ref SignerSet<HeldShare> shares, ref HeightPool p, byte[] message, Digest? root)
    {
        if (shares.Count < scheme.Threshold)
        {
            return null;
        }
        // The first threshold of the shares, verified ones first, each group in signer order.
        var chosen = new SignatureShare[scheme.Threshold];
        int k = 0;
        foreach ((int _, HeldShare held) in shares)
        {
            if (held.Verified && k < chosen.Length)
            {
                chosen[k++] = held.Share;
            }
        }
        bool allVerified = k == chosen.Length;
        foreach ((int _, HeldShare held) in shares)
        {
            if (!held.Verified && k < chosen.Length)
            {
                chosen[k++] = held.Share;
            }
        }
        if (scheme.TryCombine(chosen, message, out byte[]? combined)
            && (allVerified || scheme.Verify(combined, message)))
        {
            return combined;
        }
        foreach ((int signer, HeldShare held) in shares.ToList())
        {
            if (held.Verified)
            {
                continue;
            }
            if (scheme.VerifyShare(held.Share, message))
            {
                shares = shares.SetItem(signer, held with { Verified = true });
                continue;
            }
            shares = shares.Remove(signer);
            p = p with { SuspectShareSigners = p.SuspectShareSigners.Add(signer) };
            Event(ProtocolEventKind.InvalidArtifact, p.Height, root, signer);
        }
        if (shares.Count < scheme.Threshold)
        {
            return null;
        }
        // Every share left is verified now, so their combination is the signature.
        return scheme.TryCombine([.. shares.Values.Take(scheme.Threshold).Select(s => s.Share)], message, out combined) ? combined : null;
    }
}
