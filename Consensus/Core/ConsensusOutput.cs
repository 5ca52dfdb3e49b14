using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Core;

/// <summary>Something the host must do after a step.</summary>
public abstract record ConsensusOutput;

/// <summary>Send a message to one peer, or to every other replica when <paramref name="To"/> is null.</summary>
/// <param name="To">Recipient index, or null to broadcast.</param>
/// <param name="Message">The message.</param>
public sealed record SendMessage(int? To, ConsensusMessage Message) : ConsensusOutput;

/// <summary>Fire <paramref name="Timer"/> when the local clock reaches <paramref name="At"/>.</summary>
/// <param name="Timer">The timer.</param>
/// <param name="At">Local clock time.</param>
public sealed record SetTimer(ConsensusTimer Timer, long At) : ConsensusOutput;

/// <summary>A block became final; these come in height order with no gaps. Execute it, then report the state root.</summary>
/// <param name="Proposal">The block as proposed.</param>
/// <param name="RandomBeacon">The random beacon at its height (the round's randomness).</param>
public sealed record BlockFinalized(BlockProposal Proposal, byte[] RandomBeacon) : ConsensusOutput;

/// <summary>A state root was certified.</summary>
/// <param name="Certification">The certification.</param>
public sealed record CertificationMade(Certification Certification) : ConsensusOutput;

/// <summary>The replica jumped to a catch-up package: restore the state it certifies before executing further blocks.</summary>
/// <param name="Package">The package.</param>
public sealed record CatchUpApplied(CatchUpPackage Package) : ConsensusOutput;

/// <summary>Persist this artifact; on restart, pass everything persisted since the latest catch-up package.</summary>
/// <param name="Artifact">The artifact.</param>
public sealed record PersistArtifact(ConsensusMessage Artifact) : ConsensusOutput;

/// <summary>A fact worth logging or checking; the core never logs itself.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Height">At which height.</param>
/// <param name="Hash">The block or root concerned, if any.</param>
/// <param name="Node">The replica concerned, if any.</param>
public sealed record ProtocolEvent(ProtocolEventKind Kind, long Height, Digest? Hash = null, int? Node = null) : ConsensusOutput
{
    /// <summary>One line for traces.</summary>
    public override string ToString() =>
        $"{Kind} h={Height}{(Hash is { } h ? " " + h.Short : "")}{(Node is { } n ? " node=" + n : "")}";
}

/// <summary>Kinds of protocol events.</summary>
public enum ProtocolEventKind
{
    /// <summary>This replica proposed a block.</summary>
    Proposed,

    /// <summary>A block became notarized in this replica's view.</summary>
    Notarized,

    /// <summary>A block became final in this replica's view (by its own finalization or a descendant's).</summary>
    Finalized,

    /// <summary>A replica holds a finalization (n-f shares) of exactly this block.</summary>
    FinalizationReached,

    /// <summary>A state root was certified.</summary>
    Certified,

    /// <summary>A block maker signed two blocks at one height and is disqualified there.</summary>
    MakerDisqualified,

    /// <summary>An artifact failed verification (bad signature or share) and was dropped.</summary>
    InvalidArtifact,

    /// <summary>A proposal broke a validity rule and was dropped.</summary>
    InvalidBlock,

    /// <summary>A catch-up package was made.</summary>
    CatchUpMade,

    /// <summary>The replica jumped ahead with a catch-up package.</summary>
    CatchUpApplied,

    /// <summary>The subnet certified a state root different from this replica's: it must stop.</summary>
    StateDivergence,

    /// <summary>A finalization contradicts this replica's finalized chain: more than f replicas are faulty.</summary>
    FinalityConflict,
}
