using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Simulation;

/// <summary>One simulated replica process: a core, its state, its store, its toy execution, its faults.</summary>
internal sealed class SimNode(int slot, int identity, ConsensusCore core, IConsensusCrypto crypto, long skew)
{
    public int Slot { get; } = slot;
    public int Identity { get; } = identity;
    public ConsensusCore Core { get; } = core;
    public IConsensusCrypto Crypto { get; } = crypto;
    public long Skew { get; } = skew;
    public ConsensusState State { get; set; } = core.Initial();
    public bool Up { get; set; } = true;
    public int Incarnation { get; set; }
    public ByzantineBehaviour Byzantine { get; set; }
    public bool CrashFaulty { get; set; }
    public int TwinGroup { get; set; } = -1;
    public double WithholdProbability { get; set; }
    public List<ConsensusMessage> Store { get; set; } = [];
    public ToyStateMachine Toy { get; set; } = new();
    public HashSet<(long, Digest, bool)> ExtraVotes { get; } = [];
    public bool Honest => Byzantine == ByzantineBehaviour.None;
}
