using System.Collections.Immutable;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>
/// ICC-lite for one replica as a pure function: <see cref="Step"/> maps (state, input) to (state', outputs).
/// No clock, no randomness, no I/O; the same inputs always give the same outputs.
/// </summary>
public sealed class ConsensusCore
{
    /// <summary>Creates the core of replica <c>crypto.NodeIndex</c>.</summary>
    public ConsensusCore(ConsensusConfig config, IConsensusCrypto crypto)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(crypto);
        config.Validate();
        if ((uint)crypto.NodeIndex >= (uint)config.Replicas)
        {
            throw new ArgumentException($"node index {crypto.NodeIndex} is outside 0..{config.Replicas - 1}", nameof(crypto));
        }
        Config = config;
        Crypto = crypto;
        GenesisBlock = new BlockProposal(Block.Genesis(config.GenesisSeed), []);
        GenesisBeacon = Digest.Sha256([.. "ic-genesis-beacon"u8, .. config.GenesisSeed]).ToBytes();
    }

    /// <summary>The subnet parameters.</summary>
    public ConsensusConfig Config { get; }

    /// <summary>This replica's keys.</summary>
    public IConsensusCrypto Crypto { get; }

    /// <summary>The genesis block (height 0), final by definition.</summary>
    public BlockProposal GenesisBlock { get; }

    /// <summary>The random beacon at height 0.</summary>
    public byte[] GenesisBeacon { get; }

    /// <summary>The state before <see cref="StartInput"/>: genesis final, round 1 not yet started.</summary>
    public ConsensusState Initial()
    {
        Digest g = GenesisBlock.Block.Hash;
        var genesis = new HeightPool(0)
        {
            Beacon = GenesisBeacon,
            Proposals = SmallMap<Digest, BlockProposal>.Empty.Add(g, GenesisBlock),
            Notarized = SmallMap<Digest, Notarization>.Empty.Add(g, new Notarization(0, g.ToBytes(), [])),
            FinalizedHash = g,
        };
        return new ConsensusState
        {
            NodeIndex = Crypto.NodeIndex,
            Pool = ImmutableSortedDictionary<long, HeightPool>.Empty.Add(0, genesis),
        };
    }

    /// <summary>Applies one input. Pure: neither argument is changed.</summary>
    public StepResult Step(ConsensusState state, ConsensusInput input)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        long now = Math.Max(state.Now, input.Now);
        // Nanoseconds only refine the input's millisecond (else they are ignored), and never go backwards.
        long inputNanos = input.NowNanos / Block.NanosPerMs == input.Now ? input.NowNanos : input.Now * Block.NanosPerMs;
        long nowNanos = Math.Max(Math.Max(state.NowNanos, inputNanos), now * Block.NanosPerMs);
        var run = new StepRun(this, state with { Now = now, NowNanos = nowNanos });
        if (!state.Halted)
        {
            run.Apply(input);
        }
        return new StepResult(run.Result(), run.Out);
    }
}
