using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Persistence;

namespace InternetIdentity.Replica.Tests.Persistence;

public class JournalTrimTests
{
    private static ConsensusMessage At(long height) => new CertificationShare(height, new byte[32], new SignatureShare(0, new byte[48]));

    [Test]
    public void DeletableAfter_StopsAtTheFirstEntryAboveThePackage()
    {
        var trim = new JournalTrim();
        long seq = 0;
        foreach (long h in new long[] { 1, 2, 3, 5, 4, 4 })
        {
            trim.Persisted(++seq, At(h));
        }

        // The package at height 4 is entry 7; entry 4 (height 5, finalized ahead) must survive, and so everything after it.
        trim.Persisted(++seq, At(4));
        Assert.That(trim.DeletableAfter(4, seq), Is.EqualTo(3));
        Assert.That(trim.Count, Is.EqualTo(4));
    }

    [Test]
    public void DeletableAfter_NeverDeletesThePackageItself()
    {
        var trim = new JournalTrim();
        trim.Persisted(1, At(9));
        trim.Persisted(2, At(10));
        Assert.That(trim.DeletableAfter(10, 2), Is.EqualTo(1));
        Assert.That(trim.DeletableAfter(10, 2), Is.Null, "nothing new to delete");
    }
}
