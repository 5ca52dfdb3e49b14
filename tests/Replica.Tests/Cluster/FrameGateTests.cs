using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Genesis;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>Signed peer frames: only the genesis node key of the sender, for this subnet and receiver, once.</summary>
public sealed class FrameGateTests
{
    private static readonly IReadOnlyList<GenesisConfig> Configs = TestSubnets.Create(4);
    private static readonly PeerMessage Status = new(1, new StatusRequest(3, 2, 1));

    private static (FrameSigner Replica1, FrameGate Replica0, List<FrameVerdict> Dropped) Setup(long epoch = 10)
    {
        var dropped = new List<FrameVerdict>();
        return (new FrameSigner(Configs[1].NodeKey, Configs[1].SubnetId.Bytes, 1, epoch), FrameGate.For(Configs[0], dropped.Add), dropped);
    }

    [Test]
    public void Open_FrameOfTheSender_IsAcceptedWithItsMessage()
    {
        (FrameSigner signer, FrameGate gate, List<FrameVerdict> dropped) = Setup();

        Assert.That(gate.Open(signer.Seal(Status, 0), out IReplicaMessage? message), Is.EqualTo(FrameVerdict.Accepted));
        Assert.That(message, Is.InstanceOf<PeerMessage>().With.Property(nameof(PeerMessage.From)).EqualTo(1));
        Assert.That(gate.Open(signer.Seal(Status, SignedFrame.Broadcast), out _), Is.EqualTo(FrameVerdict.Accepted));
        Assert.That(dropped, Is.Empty);
        Assert.That(gate.Count(FrameVerdict.Accepted), Is.EqualTo(2));
    }

    [Test]
    public void Open_FrameSignedWithAnotherKey_IsDroppedAsBadSignatureAndCounted()
    {
        (_, FrameGate gate, List<FrameVerdict> dropped) = Setup();
        using var stranger = new NodeKey(new byte[32]);
        var forger = new FrameSigner(stranger, Configs[1].SubnetId.Bytes, 1, 10); // claims index 1 with a key genesis does not know

        Assert.That(gate.Open(forger.Seal(Status, 0), out IReplicaMessage? message), Is.EqualTo(FrameVerdict.BadSignature));
        Assert.That(message, Is.Null);
        Assert.That(dropped, Is.EqualTo(new[] { FrameVerdict.BadSignature }));
        Assert.That(gate.Count(FrameVerdict.BadSignature), Is.EqualTo(1));
    }

    [Test]
    public void Open_BroadcastWithSharedCache_VerifiedOnceForEveryReceiver()
    {
        var shared = new SignatureCache();
        FrameGate[] gates = [.. new[] { 0, 2, 3 }.Select(i => FrameGate.For(Configs[i], signatures: shared))];
        var signer = new FrameSigner(Configs[1].NodeKey, Configs[1].SubnetId.Bytes, 1, 10);
        SignedFrame broadcast = signer.Seal(Status, SignedFrame.Broadcast);

        Assert.That(gates.Select(g => g.Open(broadcast, out _)), Is.All.EqualTo(FrameVerdict.Accepted));
        Assert.That(shared.Count, Is.EqualTo(1)); // recorded by the first gate, found by the other two
        Assert.That(gates[0].Open(signer.Seal(Status, 0), out _), Is.EqualTo(FrameVerdict.Accepted));
        Assert.That(shared.Count, Is.EqualTo(1)); // a frame for one receiver is not worth remembering
    }

    [Test]
    public void Open_AlteredBroadcastWithSharedCache_IsDroppedAsBadSignatureByEveryReceiver()
    {
        var shared = new SignatureCache();
        FrameGate[] gates = [.. new[] { 0, 2 }.Select(i => FrameGate.For(Configs[i], signatures: shared))];
        var signer = new FrameSigner(Configs[1].NodeKey, Configs[1].SubnetId.Bytes, 1, 10);
        SignedFrame frame = signer.Seal(Status, SignedFrame.Broadcast);
        Assert.That(gates[0].Open(frame, out _), Is.EqualTo(FrameVerdict.Accepted));
        byte[] payload = [.. frame.Payload];
        payload[^1] ^= 1;

        Assert.That(gates[1].Open(frame with { Payload = payload }, out _), Is.EqualTo(FrameVerdict.BadSignature));
        Assert.That(shared.Count, Is.EqualTo(1));
    }

    [Test]
    public void Seal_WithSharedCache_PeersInTheProcessFindTheFrameWithoutVerifyingIt()
    {
        var shared = new CountingCache(new SignatureCache());
        var signer = new FrameSigner(Configs[1].NodeKey, Configs[1].SubnetId.Bytes, 1, 10, shared);
        SignedFrame addressed = signer.Seal(Status, 0);
        SignedFrame broadcast = signer.Seal(Status, SignedFrame.Broadcast);
        Assert.That(shared.Adds, Is.EqualTo(2), "the signer enters both");

        FrameGate gate = FrameGate.For(Configs[0], signatures: shared);
        Assert.That(gate.Open(addressed, out _), Is.EqualTo(FrameVerdict.Accepted));
        Assert.That(gate.Open(broadcast, out _), Is.EqualTo(FrameVerdict.Accepted));
        Assert.That(shared.Hits, Is.EqualTo(2), "both found in the cache");
        Assert.That(shared.Adds, Is.EqualTo(2), "nothing verified and entered again");
    }

    [Test]
    public void Open_AlteredFrameSignedInTheProcess_IsDroppedAsBadSignature()
    {
        var shared = new SignatureCache();
        var signer = new FrameSigner(Configs[1].NodeKey, Configs[1].SubnetId.Bytes, 1, 10, shared);
        SignedFrame frame = signer.Seal(Status, 0);
        byte[] payload = [.. frame.Payload];
        payload[^1] ^= 1;

        Assert.That(FrameGate.For(Configs[0], signatures: shared).Open(frame with { Payload = payload }, out _), Is.EqualTo(FrameVerdict.BadSignature));
    }

    // Counts what the gates and signers ask of a shared cache.
    private sealed class CountingCache(SignatureCache inner) : Protocol.Signatures.ISignatureCache
    {
        public int Hits { get; private set; }

        public int Adds { get; private set; }

        public bool Contains(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
        {
            bool found = inner.Contains(derPublicKey, message, signature);
            Hits += found ? 1 : 0;
            return found;
        }

        public void Add(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
        {
            Adds++;
            inner.Add(derPublicKey, message, signature);
        }
    }

    [Test]
    public void Open_FrameWithAlteredPayload_IsDroppedAsBadSignature()
    {
        (FrameSigner signer, FrameGate gate, _) = Setup();
        SignedFrame frame = signer.Seal(Status, 0);
        byte[] payload = [.. frame.Payload];
        payload[^1] ^= 1;

        Assert.That(gate.Open(frame with { Payload = payload }, out _), Is.EqualTo(FrameVerdict.BadSignature));
    }

    [Test]
    public void Open_ReplayedFrame_IsDroppedAsReplayedAndCounted()
    {
        (FrameSigner signer, FrameGate gate, List<FrameVerdict> dropped) = Setup();
        SignedFrame frame = signer.Seal(Status, 0);

        Assert.That(gate.Open(frame, out _), Is.EqualTo(FrameVerdict.Accepted));
        Assert.That(gate.Open(frame, out IReplicaMessage? again), Is.EqualTo(FrameVerdict.Replayed));
        Assert.That(again, Is.Null);
        Assert.That(dropped, Is.EqualTo(new[] { FrameVerdict.Replayed }));
    }

    [Test]
    public void Open_FramesReorderedWithinTheWindow_AreEachAcceptedOnce()
    {
        (FrameSigner signer, FrameGate gate, _) = Setup();
        SignedFrame[] frames = [.. Enumerable.Range(0, 5).Select(_ => signer.Seal(Status, 0))];

        Assert.That(new[] { 4, 0, 2, 1, 3, 2 }.Select(i => gate.Open(frames[i], out _)),
            Is.EqualTo(new[] { FrameVerdict.Accepted, FrameVerdict.Accepted, FrameVerdict.Accepted, FrameVerdict.Accepted, FrameVerdict.Accepted, FrameVerdict.Replayed }));
    }

    [Test]
    public void Open_FrameOlderThanTheWindow_IsDroppedAsReplayed()
    {
        (FrameSigner signer, FrameGate gate, _) = Setup();
        SignedFrame old = signer.Seal(Status, 0);
        for (int i = 0; i < 4096; i++)
        {
            Assert.That(gate.Open(signer.Seal(Status, 0), out _), Is.EqualTo(FrameVerdict.Accepted));
        }

        Assert.That(gate.Open(old, out _), Is.EqualTo(FrameVerdict.Replayed));
    }

    [Test]
    public void Open_FrameOfAnEarlierEpoch_IsDroppedAsReplayedAndANewerEpochIsAccepted()
    {
        (FrameSigner before, FrameGate gate, _) = Setup(epoch: 10);
        SignedFrame beforeRestart = before.Seal(Status, 0);
        FrameSigner after = Setup(epoch: 11).Replica1;

        Assert.That(gate.Open(after.Seal(Status, 0), out _), Is.EqualTo(FrameVerdict.Accepted), "a restarted sender counts from 1 again");
        Assert.That(gate.Open(beforeRestart, out _), Is.EqualTo(FrameVerdict.Replayed));
    }

    [Test]
    public void Open_FrameSignedBySomeoneElseClaimingTheSender_IsDroppedAsBadSignature()
    {
        (_, FrameGate gate, _) = Setup();
        var replica2 = new FrameSigner(Configs[2].NodeKey, Configs[2].SubnetId.Bytes, 2, 10);
        SignedFrame own = replica2.Seal(Status, 0); // payload claims replica 1

        Assert.That(gate.Open(own with { Sender = 1 }, out _), Is.EqualTo(FrameVerdict.BadSignature), "frame sender changed after signing");
    }

    [Test]
    public void Open_PayloadClaimingAnotherSenderThanTheSigner_IsDroppedAsSenderMismatch()
    {
        (_, FrameGate gate, List<FrameVerdict> dropped) = Setup();
        var replica2 = new FrameSigner(Configs[2].NodeKey, Configs[2].SubnetId.Bytes, 2, 10);

        Assert.That(gate.Open(replica2.Seal(Status, 0), out IReplicaMessage? message), Is.EqualTo(FrameVerdict.SenderMismatch),
            "replica 2 signs its frame honestly but the message inside says it comes from replica 1");
        Assert.That(message, Is.Null);
        Assert.That(dropped, Is.EqualTo(new[] { FrameVerdict.SenderMismatch }));
    }

    [Test]
    public void Open_FrameForAnotherSubnet_IsDroppedAsBadSignature()
    {
        (_, FrameGate gate, List<FrameVerdict> dropped) = Setup();
        byte[] otherSubnet = TestSubnets.Create(4, seed: 2)[0].SubnetId.Bytes.ToArray();
        var sameKeyOtherSubnet = new FrameSigner(Configs[1].NodeKey, otherSubnet, 1, 10);

        Assert.That(gate.Open(sameKeyOtherSubnet.Seal(Status, 0), out _), Is.EqualTo(FrameVerdict.BadSignature));
        Assert.That(dropped, Is.EqualTo(new[] { FrameVerdict.BadSignature }));
    }

    [Test]
    public void Open_FrameForAnotherReplica_IsDroppedAsMisaddressed()
    {
        (FrameSigner signer, FrameGate gate, List<FrameVerdict> dropped) = Setup();

        Assert.That(gate.Open(signer.Seal(Status, 2), out _), Is.EqualTo(FrameVerdict.Misaddressed));
        Assert.That(dropped, Is.EqualTo(new[] { FrameVerdict.Misaddressed }));
    }

    [TestCase(7)]
    [TestCase(0)]
    [TestCase(-2)]
    public void Open_SenderNotAPeer_IsDroppedAsUnknownSender(int sender)
    {
        (FrameSigner signer, FrameGate gate, _) = Setup();

        Assert.That(gate.Open(signer.Seal(Status, 0) with { Sender = sender }, out _), Is.EqualTo(FrameVerdict.UnknownSender));
    }

    [Test]
    public void Open_SignedGarbagePayload_IsDroppedAsMalformed()
    {
        (FrameSigner signer, FrameGate gate, _) = Setup();

        Assert.That(gate.Open(signer.SealPayload([0xff, 0x01, 0x02], 0), out _), Is.EqualTo(FrameVerdict.Malformed));
    }

    [Test]
    public void Seal_MessageNotSentToPeers_ThrowsArgumentException()
    {
        (FrameSigner signer, _, _) = Setup();

        Assert.That(() => signer.Seal(new Checkpoint(1, new byte[32], []), 0), Throws.ArgumentException.With.Message.Contains("not sent to peers"));
        Assert.That(() => signer.Seal(Status, -2), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
