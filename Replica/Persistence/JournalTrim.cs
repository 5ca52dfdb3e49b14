using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Replica.Persistence;

/// <summary>
/// Which consensus journal entries a catch-up package makes useless. Recovery starts from the latest package and drops
/// every artifact at or below its height, so those may be deleted; the journal can only delete a prefix (up to a
/// sequence number), so the prefix stops at the first entry above the package's height (blocks finalized ahead of
/// it) or at the package itself, which must stay.
/// </summary>
public sealed class JournalTrim
{
    private readonly Queue<(long SequenceNr, long Height)> _entries = new();

    /// <summary>The number of entries tracked (those not deleted yet).</summary>
    public int Count => _entries.Count;

    /// <summary>An entry was persisted (or replayed) at <paramref name="sequenceNr"/>; call in sequence order.</summary>
    public void Persisted(long sequenceNr, ConsensusMessage artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        _entries.Enqueue((sequenceNr, artifact.Height));
    }

    /// <summary>
    /// After the package at <paramref name="catchUpHeight"/>, persisted at <paramref name="catchUpSequenceNr"/>: the
    /// sequence number up to which the journal may be deleted, or null when nothing can go.
    /// </summary>
    public long? DeletableAfter(long catchUpHeight, long catchUpSequenceNr)
    {
        long? upTo = null;
        while (_entries.TryPeek(out (long SequenceNr, long Height) e) && e.SequenceNr < catchUpSequenceNr && e.Height <= catchUpHeight)
        {
            _entries.Dequeue();
            upTo = e.SequenceNr;
        }

        return upTo;
    }
}
