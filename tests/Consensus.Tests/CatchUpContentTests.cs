using System.Collections.Immutable;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;

namespace InternetIdentity.Consensus.Tests;

/// <summary>A replica's own catch-up content, hashed from its ingress history, against content built from the records.</summary>
public class CatchUpContentTests
{
    private static readonly BlockProposal Proposal = new(new Block(200, new byte[32], 1, 0, 50_000, []), [9, 9]);

    /// <summary>A history of <paramref name="calls"/> calls over 40 blocks, the early ones expired by the last block.</summary>
    private static IngressHistory HistoryOf(int calls, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        IngressHistory history = IngressHistory.Empty;
        for (int h = 1; h <= 40; h++)
        {
            long time = h * 1_000;
            var payload = new List<IngressMessage>();
            for (int i = 0; i < calls / 40; i++)
            {
                payload.Add(new IngressMessage(BitConverter.GetBytes(rng.NextUInt64()), time + rng.NextLong(0, 30_000)));
            }
            history = history.AddBlock(new Block(h, new byte[32], 0, 0, time, [.. payload]));
        }
        return history;
    }

    private static CatchUpContent FromRecords(ImmutableArray<IngressRecord> records) =>
        new(200, Proposal, [1], new byte[32], [2], records, new byte[32]);

    [TestCase(0)]
    [TestCase(40)]
    [TestCase(4_000)] // past one 100-record hashing chunk many times over
    public void FromHistory_AnyHistory_SameHashAndRecordsAsFromRecords(int calls)
    {
        IngressHistory history = HistoryOf(calls, seed: (ulong)calls + 1);
        ImmutableArray<IngressRecord> records = history.ToRecords();
        CatchUpContent fromHistory = CatchUpContent.FromHistory(200, Proposal, [1], new byte[32], [2], history, new byte[32]);

        Assert.That(fromHistory.Hash(), Is.EqualTo(FromRecords(records).Hash()), "hash before the records are read");
        Assert.That(fromHistory.IngressHistory, Is.EqualTo(records));
        Assert.That(fromHistory.Hash(), Is.EqualTo(FromRecords(records).Hash()), "hash after the records are read");
        Assert.That(calls == 0 || records.Length < calls, Is.True, "some of the history must have expired");
    }

    [Test]
    public void FromHistory_RecordsReplacedWith_HashesTheReplacement()
    {
        IngressHistory history = HistoryOf(400, seed: 3);
        CatchUpContent own = CatchUpContent.FromHistory(200, Proposal, [1], new byte[32], [2], history, new byte[32]);
        ImmutableArray<IngressRecord> fewer = history.ToRecords()[1..];

        CatchUpContent replaced = own with { IngressHistory = fewer };

        Assert.That(replaced.IngressHistory, Is.EqualTo(fewer));
        Assert.That(replaced.Hash(), Is.EqualTo(FromRecords(fewer).Hash()));
        Assert.That(replaced.Hash(), Is.Not.EqualTo(own.Hash()), "one record fewer is another content");
    }
}
