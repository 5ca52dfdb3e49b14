using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Replica.Cluster;

/// <summary>
/// Distorts what a Byzantine replica's honest consensus sends (<see cref="ByzantineMode"/>): the same misbehaviours as the
/// simulator's Byzantine replicas, over the real transport and signed with the replica's real keys. Used only by
/// <see cref="ConsensusActor"/> when a mode is set.
/// </summary>
internal sealed class ByzantineSender
{
    /// <summary>Junk calls or flood shares added to each message sent.</summary>
    private const int Burst = 20;

    /// <summary>How far above its round a flooding replica sends shares (the honest pool keeps 50 heights ahead).</summary>
    private const int FloodAhead = 40;

    private readonly ByzantineMode _mode;
    private readonly IConsensusCrypto _crypto;
    private readonly int _replicas;
    private readonly Random _random;

    public ByzantineSender(ByzantineMode mode, IConsensusCrypto crypto, int replicas, int seed)
    {
        _mode = mode;
        _crypto = crypto;
        _replicas = replicas;
        _random = new Random(seed);
    }

    private int Me => _crypto.NodeIndex;

    /// <summary>Sends (through <paramref name="send"/>: receiver or null for all, message) what this mode makes of <paramref name="s"/>.</summary>
    public void Send(SendMessage s, ConsensusState state, Action<int?, ConsensusMessage> send)
    {
        switch (_mode)
        {
            case ByzantineMode.Silent:
                return;
            case ByzantineMode.Equivocate when s.To is null && s.Message is BlockProposal bp && bp.Block.Maker == Me:
                Equivocate(bp, send);
                return;
            case ByzantineMode.JunkIngress:
                for (int i = 0; i < Burst; i++)
                {
                    send(null, new IngressGossip(new IngressMessage(Bytes(_random.Next(1, 2000)), state.Now + _random.Next(300_000))));
                }

                break;
            case ByzantineMode.FloodShares:
                for (int i = 0; i < Burst; i++)
                {
                    long h = Math.Max(1, state.Round + _random.Next(-2, FloodAhead));
                    byte[] hash = Bytes(32);
                    send(null, _random.Next(2) == 0
                        ? new NotarizationShare(h, hash, Me, _crypto.Node.Sign(SigningDomains.Notarization(h, hash)))
                        : new FinalizationShare(h, hash, Me, _crypto.Node.Sign(SigningDomains.Finalization(h, hash))));
                }

                break;
            case ByzantineMode.ForgeShares when Forge(s.Message) is { } forged:
                send(s.To, forged);
                if (_random.Next(3) == 0)
                {
                    return; // the forged copy instead of the real one
                }

                break;
        }

        send(s.To, s.Message);
    }

    // Two blocks at the height, one to each half of the peers, and a notarization share for each.
    private void Equivocate(BlockProposal bp, Action<int?, ConsensusMessage> send)
    {
        Block b1 = bp.Block;
        var b2 = new Block(b1.Height, b1.ParentHash, b1.Maker, b1.Rank, b1.TimeMs + 1, [.. b1.Payload.Reverse()]);
        var bp2 = new BlockProposal(b2, _crypto.Node.Sign(SigningDomains.Proposal(b2.Hash)));
        for (int peer = 0; peer < _replicas; peer++)
        {
            if (peer != Me)
            {
                send(peer, peer % 2 == 0 ? bp : bp2);
            }
        }

        byte[] hash2 = b2.Hash.ToBytes();
        send(null, new NotarizationShare(b2.Height, hash2, Me, _crypto.Node.Sign(SigningDomains.Notarization(b2.Height, hash2))));
    }

    private ConsensusMessage? Forge(ConsensusMessage m)
    {
        int other = (Me + 1 + _random.Next(_replicas - 1)) % _replicas;
        bool claim = _random.Next(2) == 0;
        return m switch
        {
            NotarizationShare x => claim ? x with { Signer = other } : x with { Signature = Flip(x.Signature) },
            FinalizationShare x => claim ? x with { Signer = other } : x with { Signature = Flip(x.Signature) },
            RandomBeaconShare x => x with { Share = claim ? x.Share with { NodeIndex = other } : x.Share with { Bytes = Flip(x.Share.Bytes) } },
            CertificationShare x => x with { Share = claim ? x.Share with { NodeIndex = other } : x.Share with { Bytes = Flip(x.Share.Bytes) } },
            CatchUpShare x => claim ? x with { Signer = other } : x with { Signature = Flip(x.Signature) },
            BlockProposal x => x with { Signature = Flip(x.Signature) },
            _ => null,
        };
    }

    private byte[] Bytes(int length)
    {
        byte[] bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
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
}
