using CsCheck;
using InternetIdentity.Consensus.Core;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;
using static InternetIdentity.Consensus.Tests.CoreHarness;

namespace InternetIdentity.Consensus.Tests;

public class RankingTests
{
    [Test]
    public void RanksFromBeacon_AnyBeacon_PermutationAndDeterministic()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Int[1, 40]).Sample((beacon, n) =>
        {
            var ranks = Ranking.RanksFromBeacon(beacon, n);
            Assert.That(ranks.Order(), Is.EqualTo(Enumerable.Range(0, n)));
            Assert.That(Ranking.RanksFromBeacon(beacon, n), Is.EqualTo(ranks));
        });
    }

    [Test]
    public void RanksFromBeacon_ManyBeacons_EveryReplicaSometimesFirst()
    {
        var first = new HashSet<int>();
        for (int i = 0; i < 200; i++)
        {
            first.Add(Ranking.RanksFromBeacon(Digest.Sha256([(byte)i]).ToBytes(), 7).IndexOf(0));
        }
        Assert.That(first, Is.EquivalentTo(Enumerable.Range(0, 7)));
    }
}

public class ThresholdTests
{
    [Test]
    public void Thresholds_AnySubnetSize_QuorumsIntersectInAnHonestReplicaAndStayReachable()
    {
        Gen.Int[1, 200].Sample(n =>
        {
            var c = new ConsensusConfig { Replicas = n };
            int f = c.Faulty;
            Assert.That(3 * f + 1, Is.LessThanOrEqualTo(n));
            Assert.That(2 * c.NotarizationThreshold - n, Is.GreaterThanOrEqualTo(f + 1), "two notarization quorums share an honest replica");
            Assert.That(c.NotarizationThreshold + c.FinalizationThreshold - n, Is.GreaterThanOrEqualTo(f + 1));
            Assert.That(n - f, Is.GreaterThanOrEqualTo(c.FinalizationThreshold), "honest replicas alone can finalize");
            Assert.That(c.BeaconThreshold, Is.EqualTo(f + 1));
            Assert.That(c.CertificationThreshold, Is.EqualTo(2 * f + 1));
            Assert.That(c.BlockMakers, Is.EqualTo(f + 1));
        });
    }

    [TestCase(4, 1, 3, 2, 3)]
    [TestCase(7, 2, 5, 3, 5)]
    [TestCase(13, 4, 9, 5, 9)]
    public void Thresholds_IcSubnetSizes_Expected(int n, int f, int notarize, int beacon, int certify)
    {
        var c = new ConsensusConfig { Replicas = n };
        Assert.That((c.Faulty, c.NotarizationThreshold, c.FinalizationThreshold, c.BeaconThreshold, c.CertificationThreshold, c.CatchUpThreshold),
            Is.EqualTo((f, notarize, notarize, beacon, certify, notarize)));
    }
}

public class DelayTests
{
    [Test]
    public void Start_Round1_NotaryTimerAfterInitialDelay()
    {
        var h = new CoreHarness();
        SetTimer? t = h.Core.Step(h.Core.Initial(), new StartInput(Start, [])).Outputs.OfType<SetTimer>()
            .FirstOrDefault(x => x.Timer.Kind == TimerKind.Notary);
        Assert.That(t, Is.Not.Null);
        Assert.That(t!.At, Is.EqualTo(Start + h.Config.InitialNotaryDelayMs));
    }

    [Test]
    public void Start_BlockMakerOfRank1_ProposesOnlyAfterOneUnitDelay()
    {
        var baseConfig = new ConsensusConfig();
        // replica 0's view when it is the rank-1 maker: find a seed where it is
        for (byte s = 0; s < 255; s++)
        {
            byte[] seed = new byte[32];
            seed[0] = s;
            var config = baseConfig with { GenesisSeed = seed };
            var crypto = Crypto.StandInCrypto.CreateSubnet(4, seed);
            var core = new ConsensusCore(config, crypto[0]);
            if (Ranking.RanksFromBeacon(core.GenesisBeacon, 4)[0] != 1)
            {
                continue;
            }
            StepResult start = core.Step(core.Initial(), new StartInput(Start, []));
            Assert.That(Sent<BlockProposal>(start.Outputs), Is.Empty, "rank 1 must wait");
            SetTimer maker = start.Outputs.OfType<SetTimer>().Single(x => x.Timer.Kind == TimerKind.BlockMaker);
            Assert.That(maker.At, Is.EqualTo(Start + config.UnitDelayMs));
            StepResult early = core.Step(start.State, new TimerFired(maker.At - 1, maker.Timer));
            Assert.That(Sent<BlockProposal>(early.Outputs), Is.Empty);
            StepResult due = core.Step(early.State, new TimerFired(maker.At, maker.Timer));
            Assert.That(Sent<BlockProposal>(due.Outputs).Single().Block.Rank, Is.EqualTo(1));
            return;
        }
        Assert.Fail("no seed made replica 0 the rank-1 maker");
    }

    [Test]
    public void Notary_Rank0Block_SharedOnlyAfterNotaryDelay()
    {
        var h = new CoreHarness();
        BlockProposal b = h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start);
        Assert.That(Sent<NotarizationShare>(h.Receive(Start + 10, b.Block.Maker, b)), Is.Empty);
        var timer = new ConsensusTimer(TimerKind.Notary, 1, 0);
        Assert.That(Sent<NotarizationShare>(h.Step(new TimerFired(Start + h.Config.InitialNotaryDelayMs - 1, timer))), Is.Empty);
        NotarizationShare share = Sent<NotarizationShare>(h.Step(new TimerFired(Start + h.Config.InitialNotaryDelayMs, timer))).Single();
        Assert.That(share.BlockHash, Is.EqualTo(b.Block.Hash.ToBytes()));
    }

    [Test]
    public void Notary_Rank1Block_WaitsForRank1Delay()
    {
        var h = new CoreHarness();
        BlockProposal b = h.Proposal(h.MakerOfRank(1), 1, h.Genesis, Start);
        long due = Start + h.Config.InitialNotaryDelayMs + h.Config.UnitDelayMs;
        Assert.That(Sent<NotarizationShare>(h.Receive(due - 1, b.Block.Maker, b)), Is.Empty);
        Assert.That(Sent<NotarizationShare>(h.Step(new TimerFired(due, new ConsensusTimer(TimerKind.Notary, 1, 1)))), Has.Exactly(1).Items);
    }

    [Test]
    public void Notary_LowerRankArrivesAfterHigher_BothSupportedButNoFinalizationShare()
    {
        var h = new CoreHarness();
        long late = Start + 2_000;
        BlockProposal rank1 = h.Proposal(h.MakerOfRank(1), 1, h.Genesis, Start);
        BlockProposal rank0 = h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start);
        Assert.That(Sent<NotarizationShare>(h.Receive(late, rank1.Block.Maker, rank1)), Has.Exactly(1).Items);
        Assert.That(Sent<NotarizationShare>(h.Receive(late, rank0.Block.Maker, rank0)), Has.Exactly(1).Items, "a lower rank is always preferred");
        var outputs = new List<ConsensusOutput>();
        outputs.AddRange(h.Receive(late, 1, h.NotarizationShare(1, rank0.Block)));
        outputs.AddRange(h.Receive(late, 2, h.NotarizationShare(2, rank0.Block)));
        Assert.That(h.State.NotarizedHeight, Is.EqualTo(1));
        Assert.That(Sent<FinalizationShare>(outputs), Is.Empty, "it supported two blocks at height 1");
    }
}

public class ValidityTests
{
    private static bool Rejected(CoreHarness h, BlockProposal b)
    {
        IReadOnlyList<ConsensusOutput> o = h.Receive(Start + 5_000, b.Block.Maker, b);
        return Events(o, ProtocolEventKind.InvalidBlock).Any() || Events(o, ProtocolEventKind.InvalidArtifact).Any();
    }

    private static IngressMessage Msg(int i, long expiry = Start + 60_000) => new([(byte)i, (byte)(i >> 8), 7], expiry);

    [Test]
    public void Validate_WellFormedBlock_Notarized()
    {
        var h = new CoreHarness();
        BlockProposal b = h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start, [Msg(1), Msg(2)]);
        Assert.That(Sent<NotarizationShare>(h.Receive(Start + 5_000, b.Block.Maker, b)), Has.Exactly(1).Items);
    }

    [Test]
    public void Validate_WrongRank_Rejected()
    {
        var h = new CoreHarness();
        Assert.That(Rejected(h, h.Proposal(h.MakerOfRank(1), 1, h.Genesis, Start, rank: 0)), Is.True);
    }

    [Test]
    public void Validate_MakerBeyondRankF_Rejected()
    {
        var h = new CoreHarness();
        Assert.That(Rejected(h, h.Proposal(h.MakerOfRank(2), 1, h.Genesis, Start)), Is.True);
    }

    [Test]
    public void Validate_BadSignature_Rejected()
    {
        var h = new CoreHarness();
        BlockProposal b = h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start);
        Assert.That(Rejected(h, b with { Signature = h.Crypto[h.MakerOfRank(1)].Node.Sign(SigningDomains.Proposal(b.Block.Hash)) }), Is.True);
    }

    [Test]
    public void Validate_TimeBeforeParent_Rejected()
    {
        var h = new CoreHarness();
        Assert.That(Rejected(h, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, -1)), Is.True);
    }

    [Test]
    public void Validate_TimeBeyondDrift_NotSupportedUntilClockCatchesUp()
    {
        var h = new CoreHarness();
        long future = Start + 5_000 + h.Config.PermittedDriftMs + 1;
        BlockProposal b = h.Proposal(h.MakerOfRank(0), 1, h.Genesis, future);
        Assert.That(Sent<NotarizationShare>(h.Receive(Start + 5_000, b.Block.Maker, b)), Is.Empty);
        Assert.That(Sent<NotarizationShare>(h.Step(new TimerFired(future, new ConsensusTimer(TimerKind.Status, 0, 0)))), Has.Exactly(1).Items);
    }

    [Test]
    public void Validate_TooManyMessages_Rejected()
    {
        var h = new CoreHarness(new ConsensusConfig { MaxIngressMessagesPerBlock = 3 });
        Assert.That(Rejected(h, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start, Enumerable.Range(0, 4).Select(i => Msg(i)))), Is.True);
    }

    [Test]
    public void Validate_TooManyBytes_Rejected()
    {
        var h = new CoreHarness(new ConsensusConfig { MaxBlockPayloadBytes = 1_000 });
        IngressMessage big = new(new byte[995], Start + 60_000);
        Assert.That(Rejected(h, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start, [big])), Is.True);
    }

    [Test]
    public void Validate_LimitsOfIc_AreThousandMessagesAndFourMebibytes()
    {
        var c = new ConsensusConfig();
        Assert.That((c.MaxIngressMessagesPerBlock, c.MaxBlockPayloadBytes), Is.EqualTo((1000, 4 * 1024 * 1024)));
    }

    [Test]
    public void Validate_DuplicateRequestInBlock_Rejected()
    {
        var h = new CoreHarness();
        Assert.That(Rejected(h, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start, [Msg(1), Msg(1)])), Is.True);
    }

    [Test]
    public void Validate_ExpiredAtBlockTime_Rejected()
    {
        var h = new CoreHarness();
        Assert.That(Rejected(h, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start + 10, [Msg(1, expiry: Start + 9)])), Is.True);
    }

    [Test]
    public void Validate_RequestAlreadyFinalized_Rejected()
    {
        var h = new CoreHarness();
        IngressMessage m = Msg(1);
        BlockProposal b1 = h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start, [m]);
        List<ConsensusOutput> o = h.NotarizeAndFinalize(Start, b1);
        Assert.That(o.OfType<BlockFinalized>().Single().Proposal.Block.Hash, Is.EqualTo(b1.Block.Hash));
        var ranks2 = Ranking.RanksFromBeacon(h.State.Pool[1].Beacon!, 4);
        int maker = ranks2.IndexOf(0);
        var replay = new Block(2, b1.Block.Hash.ToBytes(), maker, 0, Start + 1_200, [m]);
        var proposal = new BlockProposal(replay, h.Crypto[maker].Node.Sign(SigningDomains.Proposal(replay.Hash)));
        Assert.That(Rejected(h, proposal), Is.True);
    }

    [Test]
    public void Validate_RequestInNotarizedAncestor_Rejected()
    {
        var h = new CoreHarness();
        IngressMessage m = Msg(1);
        BlockProposal b1 = h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start, [m]);
        h.Receive(Start + 1_000, b1.Block.Maker, b1);
        h.Receive(Start + 1_000, 1, h.NotarizationShare(1, b1.Block));
        h.Receive(Start + 1_000, 2, h.NotarizationShare(2, b1.Block));
        h.Receive(Start + 1_000, 3, h.NotarizationShare(3, b1.Block));
        Assert.That((h.State.NotarizedHeight, h.State.FinalizedHeight), Is.EqualTo((1L, 0L)));
        h.Receive(Start + 1_100, 1, h.BeaconShare(1, 1, h.Core.GenesisBeacon));
        int maker = Ranking.RanksFromBeacon(h.State.Pool[1].Beacon!, 4).IndexOf(0);
        var replay = new Block(2, b1.Block.Hash.ToBytes(), maker, 0, Start + 1_200, [m]);
        Assert.That(Rejected(h, new BlockProposal(replay, h.Crypto[maker].Node.Sign(SigningDomains.Proposal(replay.Hash)))), Is.True);
    }

    [Test]
    public void Proposal_Equivocation_MakerDisqualifiedAndNeitherSupported()
    {
        var h = new CoreHarness();
        int maker = h.MakerOfRank(0);
        BlockProposal a = h.Proposal(maker, 1, h.Genesis, Start);
        BlockProposal b = h.Proposal(maker, 1, h.Genesis, Start + 1);
        h.Receive(Start + 1, maker, a);
        IReadOnlyList<ConsensusOutput> o = h.Receive(Start + 2, maker, b);
        Assert.That(Events(o, ProtocolEventKind.MakerDisqualified).Single().Node, Is.EqualTo(maker));
        Assert.That(Sent<NotarizationShare>(h.Step(new TimerFired(Start + 100, new ConsensusTimer(TimerKind.Notary, 1, 0)))), Is.Empty);
    }
}

public class ShareTests
{
    [Test]
    public void NotarizationShare_ForgedSigner_RejectedAndNotCounted()
    {
        var h = new CoreHarness();
        BlockProposal b = h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start);
        h.Receive(Start + 100, b.Block.Maker, b);
        NotarizationShare forged = h.NotarizationShare(3, b.Block) with { Signer = 1 };
        Assert.That(Events(h.Receive(Start + 100, 3, forged), ProtocolEventKind.InvalidArtifact), Has.Exactly(1).Items);
        h.Receive(Start + 100, 3, h.NotarizationShare(3, b.Block));
        Assert.That(h.State.NotarizedHeight, Is.EqualTo(0), "two valid shares (0 and 3) are not n-f = 3");
        h.Receive(Start + 100, 2, h.NotarizationShare(2, b.Block));
        Assert.That(h.State.NotarizedHeight, Is.EqualTo(1));
    }

    [Test]
    public void Finalization_NMinusFShares_FinalizesAndDeliversInOrder()
    {
        var h = new CoreHarness();
        BlockProposal b = h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start);
        List<ConsensusOutput> o = h.NotarizeAndFinalize(Start, b);
        Assert.That(Sent<FinalizationShare>(o), Has.Exactly(1).Items, "replica 0 supported only this block");
        Assert.That(h.State.FinalizedHeight, Is.EqualTo(1));
        Assert.That(o.OfType<BlockFinalized>().Select(x => x.Proposal.Block.Height), Is.EqualTo(new[] { 1L }));
    }

    [Test]
    public void BeaconShare_FromWrongKey_Rejected()
    {
        var h = new CoreHarness();
        RandomBeaconShare bad = h.BeaconShare(2, 1, h.Core.GenesisBeacon) with { Share = h.BeaconShare(2, 1, h.Core.GenesisBeacon).Share with { NodeIndex = 1 } };
        Assert.That(Events(h.Receive(Start + 10, 2, bad), ProtocolEventKind.InvalidArtifact), Has.Exactly(1).Items);
        Assert.That(h.State.Pool[1].Beacon, Is.Null);
        h.Receive(Start + 10, 1, h.BeaconShare(1, 1, h.Core.GenesisBeacon));
        Assert.That(h.State.Pool[1].Beacon, Is.Not.Null, "own share plus one valid share is f+1 = 2");
    }

    [Test]
    public void Certification_TwoFPlusOneMatchingRoots_Certified()
    {
        var h = new CoreHarness();
        h.NotarizeAndFinalize(Start, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start));
        byte[] root = Digest.Sha256("root"u8).ToBytes();
        h.Step(new BlockExecuted(Start + 2_000, 1, root));
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(0));
        CertificationShare Share(int i) => new(1, root, h.Crypto[i].Certification.SignShare(SigningDomains.StateRoot(root)));
        h.Receive(Start + 2_000, 1, Share(1));
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(0), "2 of 2f+1 = 3");
        IReadOnlyList<ConsensusOutput> o = h.Receive(Start + 2_000, 2, Share(2));
        Certification cert = o.OfType<CertificationMade>().Single().Certification;
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(1));
        Assert.That(h.Crypto[3].Certification.Verify(cert.Signature, SigningDomains.StateRoot(root)), Is.True);
    }

    [Test]
    public void Certification_ValidShares_OnlyTheCombinedSignatureIsVerified()
    {
        CountingCrypto? counting = null;
        var h = new CoreHarness(decorate: c => counting = new CountingCrypto(c));
        h.NotarizeAndFinalize(Start, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start));
        byte[] root = Digest.Sha256("root"u8).ToBytes();
        h.Step(new BlockExecuted(Start + 2_000, 1, root));
        foreach (int i in new[] { 1, 2 })
        {
            h.Receive(Start + 2_000, i, new CertificationShare(1, root, h.Crypto[i].Certification.SignShare(SigningDomains.StateRoot(root))));
        }
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(1));
        Assert.That(counting!.Certifications.ShareChecks, Is.EqualTo(0), "shares are combined unverified");
        Assert.That(counting.Certifications.CombinedChecks, Is.EqualTo(1), "one check of the combined signature");
        Assert.That(counting.Beacon.ShareChecks, Is.EqualTo(0));
    }

    [Test]
    public void Certification_ForgedShareInTheThreshold_ReportedAndTheRealSharesStillCertify()
    {
        CountingCrypto? counting = null;
        var h = new CoreHarness(decorate: c => counting = new CountingCrypto(c));
        h.NotarizeAndFinalize(Start, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start));
        byte[] root = Digest.Sha256("root"u8).ToBytes();
        byte[] message = SigningDomains.StateRoot(root);
        CertificationShare Share(int i) => new(1, root, h.Crypto[i].Certification.SignShare(message));
        CertificationShare forged = Share(3) with { Share = Share(3).Share with { NodeIndex = 2 } };
        h.Step(new BlockExecuted(Start + 2_000, 1, root));
        h.Receive(Start + 2_000, 1, Share(1));
        IReadOnlyList<ConsensusOutput> o = h.Receive(Start + 2_000, 3, forged);
        Assert.That(Events(o, ProtocolEventKind.InvalidArtifact).Select(e => e.Node), Is.EqualTo(new int?[] { 2 }), "the combination failed, then each share was checked");
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(0));
        Assert.That(counting!.Certifications.ShareChecks, Is.EqualTo(2), "shares 1 and the forged 2; replica 0's own is not checked");

        o = h.Receive(Start + 2_000, 3, forged);
        Assert.That(Events(o, ProtocolEventKind.InvalidArtifact), Has.Exactly(1).Items, "a suspect signer's next share is checked on receipt");
        Assert.That(counting.Certifications.ShareChecks, Is.EqualTo(3));
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(0));

        o = h.Receive(Start + 2_000, 2, Share(2));
        Assert.That(Events(o, ProtocolEventKind.InvalidArtifact), Is.Empty);
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(1), "the forgery did not keep replica 2's real share out");
        Assert.That(h.Crypto[3].Certification.Verify(o.OfType<CertificationMade>().Single().Certification.Signature, message), Is.True);
    }

    [Test]
    public void CertificationShare_ClaimingThisReplicaOrNoReplica_Ignored()
    {
        var h = new CoreHarness();
        h.NotarizeAndFinalize(Start, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start));
        byte[] root = Digest.Sha256("root"u8).ToBytes();
        SignatureShare share = h.Crypto[1].Certification.SignShare(SigningDomains.StateRoot(root));
        foreach (int index in new[] { 0, 4, -1, int.MaxValue })
        {
            IReadOnlyList<ConsensusOutput> o = h.Receive(Start + 2_000, 1, new CertificationShare(1, root, share with { NodeIndex = index }));
            Assert.That(o.OfType<ProtocolEvent>(), Is.Empty, $"index {index}");
        }
        h.Receive(Start + 2_000, 1, new CertificationShare(1, root, share));
        IReadOnlyList<ConsensusOutput> second = h.Receive(Start + 2_000, 2,
            new CertificationShare(1, root, h.Crypto[2].Certification.SignShare(SigningDomains.StateRoot(root))));
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(0), "replica 0 has not executed: only shares 1 and 2 are held");
        Assert.That(Events(second, ProtocolEventKind.InvalidArtifact), Is.Empty, "no share claiming replica 0 was held to spoil a combination");
        h.Step(new BlockExecuted(Start + 2_000, 1, root));
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(1), "its own share completes the threshold");
    }

    [Test]
    public void Certification_SubnetCertifiesOtherRoot_ReplicaHalts()
    {
        var h = new CoreHarness();
        h.NotarizeAndFinalize(Start, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start));
        byte[] mine = Digest.Sha256("mine"u8).ToBytes();
        byte[] theirs = Digest.Sha256("theirs"u8).ToBytes();
        h.Step(new BlockExecuted(Start + 2_000, 1, mine));
        foreach (int i in new[] { 1, 2, 3 })
        {
            h.Receive(Start + 2_000, i, new CertificationShare(1, theirs, h.Crypto[i].Certification.SignShare(SigningDomains.StateRoot(theirs))));
        }
        Assert.That(h.State.Halted, Is.True);
        Assert.That(h.State.CertifiedHeight, Is.EqualTo(0));
    }
}

public class IngressTests
{
    [Test]
    public void Submit_SameRequestTwice_GossipedOnce()
    {
        var h = new CoreHarness();
        IngressMessage m = new([1, 2, 3], Start + 60_000);
        Assert.That(Sent<IngressGossip>(h.Step(new IngressSubmitted(Start, m))), Has.Exactly(1).Items);
        Assert.That(Sent<IngressGossip>(h.Step(new IngressSubmitted(Start, new IngressMessage([1, 2, 3], Start + 60_000)))), Is.Empty);
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(1));
    }

    [Test]
    public void Submit_Expired_Dropped()
    {
        var h = new CoreHarness();
        Assert.That(Sent<IngressGossip>(h.Step(new IngressSubmitted(Start, new IngressMessage([1], Start - 1)))), Is.Empty);
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(0));
    }

    [Test]
    public void Submit_ExpiryBeyondTtlAndDrift_Dropped()
    {
        var h = new CoreHarness();
        long tooFar = Start + h.Config.MaxIngressTtlMs + h.Config.PermittedDriftMs + 1;
        Assert.That(Sent<IngressGossip>(h.Step(new IngressSubmitted(Start, new IngressMessage([1], tooFar)))), Is.Empty);
    }

    [Test]
    public void Pool_MessageExpiresBeforeNextRound_Purged()
    {
        var h = new CoreHarness();
        h.Step(new IngressSubmitted(Start, new IngressMessage([1], Start + 500)));
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(1));
        h.NotarizeAndFinalize(Start + 600, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start + 600));
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(0));
    }

    [Test]
    public void Submit_AfterFinalized_Rejected()
    {
        var h = new CoreHarness();
        IngressMessage m = new([9], Start + 60_000);
        h.Step(new IngressSubmitted(Start, m));
        h.NotarizeAndFinalize(Start, h.Proposal(h.MakerOfRank(0), 1, h.Genesis, Start, [m]));
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(0), "finalized requests leave the pool");
        Assert.That(Sent<IngressGossip>(h.Step(new IngressSubmitted(Start + 2_000, m))), Is.Empty);
        Assert.That(h.State.IngressPoolSize, Is.EqualTo(0));
    }

    [Test]
    public void RequestId_DependsOnContentAndExpiry()
    {
        Gen.Select(Gen.Byte.Array[0, 64], Gen.Long[0, long.MaxValue / 2]).Sample((content, expiry) =>
        {
            var a = new IngressMessage(content, expiry);
            Assert.That(new IngressMessage([.. content], expiry).RequestId, Is.EqualTo(a.RequestId));
            Assert.That(new IngressMessage(content, expiry + 1).RequestId, Is.Not.EqualTo(a.RequestId));
            Assert.That(new IngressMessage([.. content, 0], expiry).RequestId, Is.Not.EqualTo(a.RequestId));
        });
    }
}
