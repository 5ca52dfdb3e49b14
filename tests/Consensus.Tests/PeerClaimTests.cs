using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Messages;
using static InternetIdentity.Consensus.Tests.CoreHarness;

namespace InternetIdentity.Consensus.Tests;

/// <summary>The height peers claim, taken so that one honest peer vouches for it.</summary>
public class PeerClaimTests
{
    [Test]
    public void VouchedPeerHeight_OneFaultyPeerClaimsAHugeHeight_TakesTheSecondHighestClaim()
    {
        var h = new CoreHarness(new ConsensusConfig { Replicas = 4 });
        h.Step(new StartInput(Start, []));

        h.Receive(Start, 1, new StatusRequest(1_000_000, 1_000_001, 1_000_000)); // a lie: f = 1 peer may lie
        Assert.That(h.State.VouchedPeerHeight, Is.Zero, "one claim alone is vouched by nobody honest");

        h.Receive(Start, 2, new StatusRequest(450, 451, 400));
        h.Receive(Start, 3, new SyncBundle([], 300));

        Assert.That(h.State.PeerClaims, Is.EqualTo(new long[] { 0, 1_000_000, 400, 300 }));
        Assert.That(h.State.VouchedPeerHeight, Is.EqualTo(400), "the (f+1)-th highest claim");
    }

    [Test]
    public void VouchedPeerHeight_ShareSignedBySomeoneElse_IsNoClaimOfTheSender()
    {
        var h = new CoreHarness(new ConsensusConfig { Replicas = 4 });
        h.Step(new StartInput(Start, []));
        byte[] root = Digest.Sha256([1]).ToBytes();
        var shareOf2 = new CertificationShare(500, root, h.Crypto[2].Certification.SignShare(SigningDomains.StateRoot(root)));

        h.Receive(Start, 1, shareOf2);
        h.Receive(Start, 3, shareOf2);

        Assert.That(h.State.PeerClaims.Sum(), Is.Zero, "a relayed share says nothing about its relayer");
    }
}
