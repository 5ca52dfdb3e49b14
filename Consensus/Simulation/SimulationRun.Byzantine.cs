using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Simulation;

internal sealed partial class SimulationRun
{
    /// <summary>Sends what a Byzantine replica's honest core wanted to send, distorted by its behaviours.</summary>
    private void SendByzantine(SimNode node, SendMessage s)
    {
        ByzantineBehaviour b = node.Byzantine;
        if (b.HasFlag(ByzantineBehaviour.Withhold) && _rng.Chance(node.WithholdProbability))
        {
            return;
        }
        if (b.HasFlag(ByzantineBehaviour.Equivocate) && s.To is null && s.Message is BlockProposal bp && bp.Block.Maker == node.Identity)
        {
            Block b1 = bp.Block;
            var b2 = new Block(b1.Height, b1.ParentHash, b1.Maker, b1.Rank, b1.TimeMs + 1, [.. b1.Payload.Reverse()]);
            var bp2 = new BlockProposal(b2, node.Crypto.Node.Sign(SigningDomains.Proposal(b2.Hash)));
            for (int j = 0; j < _o.Replicas; j++)
            {
                if (j == node.Identity)
                {
                    continue;
                }
                if (_splitGroup[j] != 1)
                {
                    Route(node, j, bp);
                }
                if (_splitGroup[j] != 0)
                {
                    Route(node, j, bp2);
                }
            }
            if (b.HasFlag(ByzantineBehaviour.DoubleVote))
            {
                Vote(node, b2.Height, b2.Hash, finalization: false);
            }
            return;
        }
        if (b.HasFlag(ByzantineBehaviour.InvalidSignatures) && _rng.Chance(0.3))
        {
            ConsensusMessage? bad = Corrupt(node, s.Message);
            if (bad is not null)
            {
                Route(node, s.To, bad);
                if (_rng.Chance(0.3))
                {
                    return; // the corrupted copy instead of the real one
                }
            }
        }
        Route(node, s.To, s.Message);
    }

    private ConsensusMessage? Corrupt(SimNode node, ConsensusMessage m)
    {
        int other = (node.Identity + 1 + _rng.NextInt(_o.Replicas - 1)) % _o.Replicas;
        return m switch
        {
            NotarizationShare x => _rng.Chance(0.5) ? x with { Signer = other } : x with { Signature = Flip(x.Signature) },
            FinalizationShare x => _rng.Chance(0.5) ? x with { Signer = other } : x with { Signature = Flip(x.Signature) },
            RandomBeaconShare x => x with { Share = _rng.Chance(0.5) ? x.Share with { NodeIndex = other } : x.Share with { Bytes = Flip(x.Share.Bytes) } },
            CertificationShare x => x with { Share = x.Share with { Bytes = Flip(x.Share.Bytes) }, StateRoot = _rng.Chance(0.5) ? Flip(x.StateRoot) : x.StateRoot },
            CatchUpShare x => x with { Signer = other },
            BlockProposal x => x with { Signature = Flip(x.Signature) },
            _ => null,
        };
    }

    private static byte[] Flip(byte[] bytes)
    {
        byte[] copy = (byte[])bytes.Clone();
        if (copy.Length > 0)
        {
            copy[copy.Length / 2] ^= 0x5A;
        }
        return copy;
    }

    /// <summary>A double voter signs notarization shares for every block it holds at its round, and finalization shares below it.</summary>
    private void ActByzantine(SimNode node)
    {
        if (!node.Byzantine.HasFlag(ByzantineBehaviour.DoubleVote))
        {
            return;
        }
        ConsensusState st = node.State;
        for (long h = Math.Max(st.FinalizedHeight + 1, st.Round - 2); h <= st.Round; h++)
        {
            if (!st.Pool.TryGetValue(h, out HeightPool? p))
            {
                continue;
            }
            foreach (Digest hash in p.Proposals.Keys)
            {
                Vote(node, h, hash, finalization: false);
                if (h < st.Round)
                {
                    Vote(node, h, hash, finalization: true);
                }
            }
        }
    }

    private void Vote(SimNode node, long h, Digest hash, bool finalization)
    {
        if (!node.ExtraVotes.Add((h, hash, finalization)))
        {
            return;
        }
        byte[] bytes = hash.ToBytes();
        INodeSigner signer = node.Crypto.Node;
        ConsensusMessage vote = finalization
            ? new FinalizationShare(h, bytes, node.Identity, signer.Sign(SigningDomains.Finalization(h, bytes)))
            : new NotarizationShare(h, bytes, node.Identity, signer.Sign(SigningDomains.Notarization(h, bytes)));
        Route(node, null, vote);
    }
}
