using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Ordering;

namespace InternetIdentity.Replica.Tests.Ordering;

public class LocalOrderingTests
{
    private static IngressMessage Msg(byte id) =>
        new(new RequestId(Enumerable.Repeat(id, 32).ToArray()), Principal.Anonymous, Principal.CanisterId(0), "whoami", [], ulong.MaxValue);

    [Test]
    public async Task Batches_SameSequenceForEveryReplica_HeightsConsecutive_TimeFromClock_DuplicatesDropped()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var ordering = new LocalOrdering(3, clock, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20));
        Assert.That(ordering.Submit(Msg(1)), Is.True);
        Assert.That(ordering.Submit(Msg(1)), Is.False, "already waiting");
        Assert.That(ordering.Submit(Msg(2)), Is.True);
        ordering.Start();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<Batch>[3];
        for (int r = 0; r < 3; r++)
        {
            seen[r] = [];
            while (seen[r].Count < 3)
            {
                seen[r].Add(await ordering.Subscribe(r).ReadAsync(cts.Token));
            }
        }

        for (int r = 1; r < 3; r++)
        {
            Assert.That(seen[r], Is.EqualTo(seen[0]), "every replica receives the same batches");
        }

        Assert.That(seen[0].Select(b => b.Height), Is.EqualTo(new ulong[] { 1, 2, 3 }));
        Assert.That(seen[0].SelectMany(b => b.Messages).Select(m => m.Id), Is.EqualTo(new[] { Msg(1).Id, Msg(2).Id }));
        Assert.That(seen[0][0].TimeNanos, Is.EqualTo(clock.NowNanos), "time comes from the injected clock");
        Assert.That(seen[0][1].TimeNanos, Is.GreaterThan(seen[0][0].TimeNanos), "time strictly increases even when the clock stands still");
        Assert.That(seen[0][0].Randomness, Has.Length.EqualTo(32));
    }
}
