using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Configuration;
using Akka.Serialization;
using Google.Protobuf;
using InternetIdentity.Consensus.Crypto;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using InternetIdentity.Replica.Tests.Cluster;
using InternetIdentity.Replica.Wire;
using P = InternetIdentity.Replica.Wire.Proto;

namespace InternetIdentity.Replica.Tests.Wire;

public class ReplicaSerializerTests : NUnitTestKit
{
    private static readonly Config SerializeEverything = ConfigurationFactory.ParseString("""
        akka.actor.serialize-messages = on
        akka.actor.serialize-creators = off
        """).WithFallback(ConfigurationFactory.ParseString(ReplicaSerializer.Hocon));

    public ReplicaSerializerTests()
        : base(SerializeEverything)
    {
    }

    private ReplicaSerializer Serializer => (ReplicaSerializer)Sys.Serialization.FindSerializerForType(typeof(PeerMessage));

    private static IEnumerable<object> EveryMessage(int seed)
    {
        var samples = new WireSamples(seed);
        return [.. samples.Artifacts(), .. samples.HostMessages()];
    }

    [Test]
    public void FindSerializerFor_EveryMessageType_IsReplicaSerializerAndRoundTrips()
    {
        for (int seed = 0; seed < 5; seed++)
        {
            foreach (object m in EveryMessage(seed))
            {
                Serializer s = Sys.Serialization.FindSerializerFor(m);
                Assert.That(s, Is.TypeOf<ReplicaSerializer>(), m.GetType().Name);
                Assert.That(s.Identifier, Is.EqualTo(4943));
                string manifest = Akka.Serialization.Serialization.ManifestFor(s, m);
                object back = Sys.Serialization.Deserialize(s.ToBinary(m), s.Identifier, manifest);
                Assert.That(WireSamples.Render(back), Is.EqualTo(WireSamples.Render(m)), $"seed {seed}, {m.GetType().Name}");
            }
        }
    }

    [Test]
    public void Tell_EveryMessageWithSerializeMessagesOn_ArrivesAsEqualCopy()
    {
        IReadOnlyList<object> sent = [.. EveryMessage(42)];
        foreach (object m in sent)
        {
            TestActor.Tell(m);
        }
        foreach (object m in sent)
        {
            object got = ExpectMsg<object>(TimeSpan.FromSeconds(60));
            Assert.That(got, Is.Not.SameAs(m), "serialize-messages should deliver a deserialized copy");
            Assert.That(WireSamples.Render(got), Is.EqualTo(WireSamples.Render(m)), "seed 42");
        }
    }

    [Test]
    public void Manifests_EveryType_ArePinned()
    {
        var expected = new Dictionary<Type, string>
        {
            [typeof(BlockProposal)] = "prop1", [typeof(RandomBeaconShare)] = "rbs1", [typeof(RandomBeacon)] = "rb1",
            [typeof(NotarizationShare)] = "nsh1", [typeof(Notarization)] = "nz1", [typeof(FinalizationShare)] = "fsh1",
            [typeof(Finalization)] = "fz1", [typeof(CertificationShare)] = "csh1", [typeof(Certification)] = "cert1",
            [typeof(CatchUpShare)] = "cush1", [typeof(CatchUpPackage)] = "cup1", [typeof(IngressGossip)] = "ing1",
            [typeof(StatusRequest)] = "st1", [typeof(SyncBundle)] = "sync1", [typeof(PeerMessage)] = "peer1",
            [typeof(CheckpointRequest)] = "ckq1", [typeof(CheckpointChunk)] = "ckc1", [typeof(Checkpoint)] = "ckp1",
            [typeof(SignedFrame)] = "frame1",
        };
        Assert.That(ReplicaSerializer.ManifestsByType, Is.EquivalentTo(expected));
        Assert.That(EveryMessage(1).Select(m => m.GetType()).Distinct(), Is.EquivalentTo(expected.Keys));
        foreach (object m in EveryMessage(1))
        {
            Assert.That(Serializer.Manifest(m), Is.EqualTo(expected[m.GetType()]));
        }
    }

    // Golden bytes: a failure here means the wire and journal format changed. Keep old data readable (new
    // manifest, new message) instead of updating these.
    [Test]
    public void ToBinary_FixedMessages_MatchGoldenBytes()
    {
        byte[] hash = Enumerable.Repeat((byte)0x11, 32).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(Hex(new StatusRequest(7, 8, 6)), Is.EqualTo("080710081806"));
            Assert.That(Hex(new NotarizationShare(5, hash, 2, [0xAB, 0xCD])),
                Is.EqualTo("08051220" + string.Concat(Enumerable.Repeat("11", 32)) + "18022202ABCD"));
            Assert.That(Hex(new PeerMessage(1, new StatusRequest(7, 8, 6))), Is.EqualTo("080112086A06080710081806"));
            Assert.That(Hex(new RandomBeaconShare(3, new SignatureShare(1, [9]))), Is.EqualTo("08031205080112010" + "9"));
            Assert.That(Hex(new CheckpointChunk(3, 100, 1, 4, [1, 2, 3])), Is.EqualTo("0803106418012004" + "2A03010203"));
            Assert.That(Hex(new BlockProposal(new Block(2, hash, 1, 0, 1000, [new IngressMessage([0x42], 77)]), [0x5A])),
                Is.EqualTo("0A30" + "08021220" + string.Concat(Enumerable.Repeat("11", 32)) + "180128E8073205" + "0A0142104D" + "12015A"));
        });
    }

    [Test]
    public void FromBinary_UnknownManifest_ThrowsSerializationException()
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary(Convert.FromHexString("080710081806"), "blk9"))!;
        Assert.That(e.Message, Does.Contain("unknown replica message manifest 'blk9'"));
    }

    [TestCase("st1", "08", TestName = "FromBinary_TruncatedField_ThrowsSerializationException")]
    [TestCase("st1", "0A0105", TestName = "FromBinary_MistypedField_ThrowsSerializationException")]
    [TestCase("peer1", "0801", TestName = "FromBinary_PeerMessageWithoutArtifact_ThrowsSerializationException")]
    [TestCase("peer1", "0801120A", TestName = "FromBinary_PeerMessageWithTruncatedArtifact_ThrowsSerializationException")]
    [TestCase("ckc1", "08031064180120FFFFFFFFFFFFFFFFFF01", TestName = "FromBinary_NegativeChunkCount_ThrowsSerializationException")]
    [TestCase("ckc1", "0803106418052004", TestName = "FromBinary_ChunkIndexBeyondCount_ThrowsSerializationException")]
    [TestCase("ckq1", "08FFFFFFFFFFFFFFFFFF011001", TestName = "FromBinary_NegativeSender_ThrowsSerializationException")]
    [TestCase("prop1", "12015A", TestName = "FromBinary_ProposalWithoutBlock_ThrowsSerializationException")]
    [TestCase("ckp1", "0801", TestName = "FromBinary_CheckpointWithoutStateRoot_ThrowsSerializationException")]
    public void FromBinary_MalformedBytes_ThrowsSerializationException(string manifest, string hex)
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary(Convert.FromHexString(hex), manifest))!;
        Assert.That(e.Message, Does.Contain($"cannot decode replica message '{manifest}'"));
        Assert.That(e.InnerException, Is.TypeOf<WireFormatException>());
    }

    [Test]
    public void FromBinary_RandomCorruptionOfEveryType_ThrowsOnlySerializationException()
    {
        const int seed = 77;
        var rng = new Random(seed);
        (string Manifest, byte[] Bytes)[] encodings = [.. EveryMessage(seed).Select(m => (Serializer.Manifest(m), Serializer.ToBinary(m)))];
        int rejected = 0;
        foreach ((string manifest, byte[] valid) in encodings)
        {
            for (int i = 0; i < 300; i++)
            {
                byte[] bytes = valid.Length == 0 ? [(byte)rng.Next(256)] : (byte[])valid.Clone();
                bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
                try
                {
                    _ = Serializer.FromBinary(bytes, manifest);
                }
                catch (SerializationException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"seed {seed}, {manifest}: {e.GetType().Name} for {Convert.ToHexString(bytes)}: {e}");
                }
            }
        }
        Assert.That(rejected, Is.GreaterThan(1000), $"seed {seed}: the changes must hit structure, not only payload bytes");
    }

    [Test]
    public void FromBinary_NestedSyncBundle_ThrowsSerializationException()
    {
        var nested = new P.SyncBundle
        {
            Messages = { new P.ConsensusMessage { SyncBundle = new P.SyncBundle { ResponderFinalized = 1 } } },
        };
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(nested.ToByteArray(), "sync1"));
    }

    [Test]
    public void Manifest_NotAReplicaMessage_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Serializer.Manifest("hello"));
        Assert.Throws<ArgumentException>(() => Serializer.ToBinary(42));
    }

    private string Hex(object message) => Convert.ToHexString(Serializer.ToBinary(message));
}
