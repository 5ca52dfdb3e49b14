using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Tests;

/// <summary>Drives replica 0's core by hand, playing the other replicas with their own keys.</summary>
internal sealed class CoreHarness
{
    public const long Start = 1_000;

    /// <summary>Replica 0's core, its crypto optionally wrapped by <paramref name="decorate"/> (e.g. to count checks).</summary>
    public CoreHarness(ConsensusConfig? config = null, Func<IConsensusCrypto, IConsensusCrypto>? decorate = null)
    {
        ConsensusConfig baseConfig = config ?? new ConsensusConfig();
        // pick a genesis seed for which replica 0 is not a block maker at height 1, so every block here is crafted
        for (byte s = 0; ; s++)
        {
            byte[] seed = new byte[32];
            seed[0] = s;
            Config = baseConfig with { GenesisSeed = seed };
            Crypto = StandInCrypto.CreateSubnet(Config.Replicas, seed);
            Core = new ConsensusCore(Config, decorate?.Invoke(Crypto[0]) ?? Crypto[0]);
            Ranks = Ranking.RanksFromBeacon(Core.GenesisBeacon, Config.Replicas);
            if (Ranks[0] >= Config.BlockMakers)
            {
                break;
            }
        }
        State = Core.Initial();
        Step(new StartInput(Start, []));
    }

    public ConsensusConfig Config { get; }
    public IReadOnlyList<IConsensusCrypto> Crypto { get; }
    public ConsensusCore Core { get; }
    public ConsensusState State { get; private set; }
    public ImmutableArray<int> Ranks { get; }
    public IReadOnlyList<ConsensusOutput> Last { get; private set; } = [];

    public int MakerOfRank(int rank) => Ranks.IndexOf(rank);

    public IReadOnlyList<ConsensusOutput> Step(ConsensusInput input)
    {
        StepResult r = Core.Step(State, input);
        State = r.State;
        Last = r.Outputs;
        return r.Outputs;
    }

    public IReadOnlyList<ConsensusOutput> Receive(long now, int from, ConsensusMessage m) => Step(new MessageReceived(now, from, m));

    public BlockProposal Proposal(int maker, long height, Digest parent, long time, IEnumerable<IngressMessage>? payload = null, int? rank = null)
    {
        var block = new Block(height, parent.ToBytes(), maker, rank ?? Ranks[maker], time, [.. payload ?? []]);
        return new BlockProposal(block, Crypto[maker].Node.Sign(SigningDomains.Proposal(block.Hash)));
    }

    public Digest Genesis => Core.GenesisBlock.Block.Hash;

    public NotarizationShare NotarizationShare(int signer, Block b) =>
        new(b.Height, b.Hash.ToBytes(), signer, Crypto[signer].Node.Sign(SigningDomains.Notarization(b.Height, b.Hash.ToBytes())));

    public FinalizationShare FinalizationShare(int signer, Block b) =>
        new(b.Height, b.Hash.ToBytes(), signer, Crypto[signer].Node.Sign(SigningDomains.Finalization(b.Height, b.Hash.ToBytes())));

    public RandomBeaconShare BeaconShare(int signer, long height, byte[] previous) =>
        new(height, Crypto[signer].RandomBeacon.SignShare(SigningDomains.RandomBeacon(height, previous)));

    public static IEnumerable<T> Sent<T>(IEnumerable<ConsensusOutput> outputs) where T : ConsensusMessage =>
        outputs.OfType<SendMessage>().Select(s => s.Message).OfType<T>();

    public static IEnumerable<ProtocolEvent> Events(IEnumerable<ConsensusOutput> outputs, ProtocolEventKind kind) =>
        outputs.OfType<ProtocolEvent>().Where(e => e.Kind == kind);

    /// <summary>Notarizes and finalizes <paramref name="b"/> with shares from replicas 1 and 2 (replica 0 adds its own).</summary>
    public List<ConsensusOutput> NotarizeAndFinalize(long now, BlockProposal b)
    {
        var all = new List<ConsensusOutput>();
        byte[] previous = State.Pool[b.Height - 1].Beacon!;
        all.AddRange(Receive(now, 1, BeaconShare(1, b.Height, previous)));
        all.AddRange(Receive(now, b.Block.Maker, b));
        all.AddRange(Step(new TimerFired(now + 1_000, new ConsensusTimer(TimerKind.Notary, b.Height, 0))));
        foreach (int signer in new[] { 1, 2, 3 })
        {
            all.AddRange(Receive(now + 1_000, signer, NotarizationShare(signer, b.Block)));
        }
        foreach (int signer in new[] { 1, 2, 3 })
        {
            all.AddRange(Receive(now + 1_000, signer, FinalizationShare(signer, b.Block)));
        }
        return all;
    }
}
