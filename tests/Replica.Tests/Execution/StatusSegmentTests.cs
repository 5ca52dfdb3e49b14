using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.State;
using static InternetIdentity.Replica.Tests.Execution.ExecutionCheckpointTests;

namespace InternetIdentity.Replica.Tests.Execution;

/// <summary>The request statuses in checkpoints as <see cref="StatusSegment"/>s: encoded once, expired ones not held, equal bytes after a restore.</summary>
public class StatusSegmentTests
{
    private const ulong Seal = ExecutionState.StatusSegmentHeights;

    // Height h runs at T0 + h seconds; it records one status (a certified reject) expiring `expiry(h)` seconds after its time.
    private static void ExecuteTo(ExecutionState state, ulong height, Func<ulong, ulong?> expiry)
    {
        while (state.Height < height)
        {
            ulong h = state.Height + 1;
            List<IngressMessage> messages = expiry(h) is { } seconds
                ? [new IngressMessage(RequestIdOf((int)h), Principal.Anonymous, SubnetCanisters.InternetIdentityId, "no_such_method", "DIDL\0\0"u8.ToArray(),
                    T0 + (h + seconds) * Second)]
                : [];
            state.Execute(new Batch(h, T0 + h * Second, new byte[32], messages));
        }
    }

    private static ExecutionState Fresh() => new(SubnetCanisters.Create(), 0);

    [Test]
    public void Execute_PastTwoSeals_SealsTheStatusesOfEachRunOfHeights()
    {
        ExecutionState state = Fresh();
        ExecuteTo(state, 2 * Seal + 50, _ => 300);

        Assert.That(state.SealedStatuses.Select(s => (s.Count, s.LastHeight)), Is.EqualTo(new[] { ((int)Seal, Seal), ((int)Seal, 2 * Seal) }));
        Assert.That(state.OpenStatuses.Select(s => s.Height), Is.EqualTo(Enumerable.Range((int)(2 * Seal) + 1, 50).Select(h => (ulong)h)));
        Assert.That(state.StatusCount, Is.EqualTo(2 * (int)Seal + 50));
    }

    [Test]
    public void Take_Twice_EncodesASealedSegmentOnceAndReusesItsBytes()
    {
        ExecutionState state = Fresh();
        ExecuteTo(state, Seal + 10, _ => 300);
        byte[] first = ExecutionCheckpoint.Take(state);
        byte[] segment = state.SealedStatuses[0].Bytes;
        ExecuteTo(state, Seal + 20, _ => 300);
        byte[] second = ExecutionCheckpoint.Take(state);

        Assert.That(state.SealedStatuses[0].Bytes, Is.SameAs(segment), "not encoded again");
        Assert.That(second.Length, Is.GreaterThan(first.Length), "ten more open statuses");
        Assert.That(state.SealedStatuses[0].EstimatedLength, Is.EqualTo(segment.Length), "once encoded, its length is known");
    }

    [Test]
    public void Restore_SegmentHoldingExpiredStatuses_HoldsOnlyTheLiveOnesAndGivesTheCheckpointsBytes()
    {
        // Even heights' statuses expire 5 s after their height, odd ones' after 200 s: at height 150, the sealed segment
        // (heights 1-100) holds 50 expired statuses that the replica has pruned.
        ExecutionState original = Fresh();
        Func<ulong, ulong?> expiry = h => h % 2 == 0 ? 5UL : 200UL;
        ExecuteTo(original, Seal + 50, expiry);
        Assert.That(original.SealedStatuses.Single().Count, Is.EqualTo((int)Seal), "the segment keeps its expired statuses");
        int held = original.StatusCount;
        Assert.That(held, Is.EqualTo(75 + 3), "odd heights 1-149 and even ones 146-150: not expired at height 150");
        byte[] checkpoint = ExecutionCheckpoint.Take(original);

        ExecutionState restored = Fresh();
        ExecutionCheckpoint.Restore(restored, checkpoint);
        Assert.That(restored.StatusCount, Is.EqualTo(held));
        Assert.That(restored.Statuses.Select(s => s.Id).OrderBy(id => id.ToString()), Is.EqualTo(original.Statuses.Select(s => s.Id).OrderBy(id => id.ToString())));
        Assert.That(Root(restored), Is.EqualTo(Root(original)));
        Assert.That(ExecutionCheckpoint.Take(restored), Is.EqualTo(checkpoint), "a restored state gives the checkpoint's bytes");

        // Both go on through the next seal (which drops nothing: the first segment still holds live statuses) in step.
        ExecuteTo(original, 2 * Seal + 10, expiry);
        ExecuteTo(restored, 2 * Seal + 10, expiry);
        Assert.That(ExecutionCheckpoint.Take(restored), Is.EqualTo(ExecutionCheckpoint.Take(original)));
        Assert.That(Root(restored), Is.EqualTo(Root(original)));
        Assert.That(restored.SealedStatuses, Has.Count.EqualTo(2));
    }

    [Test]
    public void Execute_EveryStatusOfASegmentExpired_DropsTheSegmentAtTheNextSeal()
    {
        ExecutionState state = Fresh();
        ExecuteTo(state, Seal, _ => 5); // heights 1-100: statuses expiring within 5 s
        ExecuteTo(state, 2 * Seal - 1, _ => null); // no statuses after, and time goes past every expiry
        Assert.That(state.StatusCount, Is.Zero, "all pruned");
        Assert.That(state.SealedStatuses, Has.Count.EqualTo(1), "the segment stays until the next seal");
        byte[] before = ExecutionCheckpoint.Take(state);

        ExecuteTo(state, 2 * Seal, _ => null);
        Assert.That(state.SealedStatuses, Is.Empty);
        byte[] after = ExecutionCheckpoint.Take(state);
        Assert.That(after.Length, Is.LessThan(before.Length - (int)Seal * 32), "a hundred statuses fewer in the checkpoint");

        ExecutionState restored = Fresh();
        ExecutionCheckpoint.Restore(restored, before);
        Assert.That(restored.StatusCount, Is.Zero, "expired statuses in a segment are not held");
        ExecuteTo(restored, 2 * Seal, _ => null);
        Assert.That(ExecutionCheckpoint.Take(restored), Is.EqualTo(after));
    }

    [Test]
    public void Restore_StatusRecordedAfterTheCheckpointsHeight_ThrowsFormatException()
    {
        ExecutionState state = Fresh();
        ExecuteTo(state, 3, _ => 300);
        byte[] checkpoint = ExecutionCheckpoint.Take(state);

        // The last status's recorded height (3) sits 8 bytes before its request id; make it 4.
        byte[] lastId = RequestIdOf(3).Bytes.ToArray();
        int at = checkpoint.AsSpan().IndexOf(lastId);
        Assert.That(at, Is.GreaterThan(8));
        checkpoint[at - 1] = 4;

        ExecutionState target = Fresh();
        Assert.That(() => ExecutionCheckpoint.Restore(target, checkpoint),
            Throws.InstanceOf<FormatException>().With.Message.Contains("recorded at height 4 in a checkpoint at height 3"));
        Assert.That(target.Height, Is.Zero);
    }

    [Test]
    public void Restore_RequestInTwoSegments_ThrowsFormatException()
    {
        ExecutionState state = Fresh();
        ExecuteTo(state, 3, _ => 300);
        byte[] checkpoint = ExecutionCheckpoint.Take(state);

        // Height 3's request id becomes height 2's.
        int at = checkpoint.AsSpan().IndexOf(RequestIdOf(3).Bytes);
        RequestIdOf(2).Bytes.CopyTo(checkpoint.AsSpan(at));

        Assert.That(() => ExecutionCheckpoint.Restore(Fresh(), checkpoint), Throws.InstanceOf<FormatException>().With.Message.Contains("appears twice"));
    }
}
