namespace InternetIdentity.Consensus.Simulation;

/// <summary>What a Byzantine replica does on top of (or instead of) the honest protocol.</summary>
[Flags]
public enum ByzantineBehaviour
{
    /// <summary>Honest.</summary>
    None = 0,

    /// <summary>As block maker, signs two different blocks and sends one to each half of the honest replicas.</summary>
    Equivocate = 1,

    /// <summary>Signs notarization and finalization shares for every block it sees.</summary>
    DoubleVote = 2,

    /// <summary>Sends corrupted shares and signatures, and shares claiming other replicas as signers.</summary>
    InvalidSignatures = 4,

    /// <summary>Withholds (drops) many or all of its outgoing messages.</summary>
    Withhold = 8,

    /// <summary>Runs as two copies of one identity, each talking to one half of the subnet.</summary>
    Twin = 16,
}
