using Google.Protobuf;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Wire;
using P = InternetIdentity.Replica.Wire.Proto;

namespace InternetIdentity.Replica.Tests.Wire;

public class WireCodecTests
{
    private const int Seeds = 25;

    [Test]
    public void Decode_EveryArtifactKindWithRandomContents_RoundTrips()
    {
        for (int seed = 0; seed < Seeds; seed++)
        {
            IReadOnlyList<ConsensusMessage> artifacts = new WireSamples(seed).Artifacts();
            Assert.That(artifacts.Select(a => a.GetType()).Distinct().Count(), Is.EqualTo(14));
            foreach (ConsensusMessage m in artifacts)
            {
                ConsensusMessage back = WireCodec.Decode(WireCodec.Encode(m));
                Assert.That(WireSamples.Render(back), Is.EqualTo(WireSamples.Render(m)), $"seed {seed}, {m.GetType().Name}");
                Assert.That(back.Height, Is.EqualTo(m.Height), $"seed {seed}, {m.GetType().Name}");
            }
        }
    }

    [Test]
    public void Decode_BlockProposal_RecomputesBlockHashAndRequestIds()
    {
        BlockProposal sent = new WireSamples(7).Proposal(20);
        var back = (BlockProposal)WireCodec.Decode(WireCodec.Encode(sent));
        Assert.That(back.Block, Is.Not.SameAs(sent.Block));
        Assert.That(back.Block.Hash, Is.EqualTo(sent.Block.Hash));
        Assert.That(back.Block.PayloadBytes, Is.EqualTo(sent.Block.PayloadBytes));
        Assert.That(back.Block.Payload.Select(m => m.RequestId), Is.EqualTo(sent.Block.Payload.Select(m => m.RequestId)));
    }

    [Test]
    public void Decode_BlockWithNanoseconds_KeepsThemAndTheHash()
    {
        var sent = new BlockProposal(new Block(3, new byte[32], 1, 0, 1_700_000_000_123, [], 999_999), [1]);

        var back = (BlockProposal)WireCodec.Decode(WireCodec.Encode(sent));

        Assert.That(back.Block.TimeNanos, Is.EqualTo(1_700_000_000_123_999_999));
        Assert.That(back.Block.Hash, Is.EqualTo(sent.Block.Hash));
    }

    [Test]
    public void Decode_BlockNanosecondsOutOfRange_ThrowsWireFormatException()
    {
        P.ConsensusMessage proto = P.ConsensusMessage.Parser.ParseFrom(WireCodec.Encode(new BlockProposal(new Block(3, new byte[32], 1, 0, 5, []), [1])));
        proto.BlockProposal.Block.TimeSubMsNanos = 1_000_000;

        Assert.That(Reject(proto), Does.Contain("outside 0..999999"));
    }

    [Test]
    public void Decode_CatchUpPackage_RecomputesContentHash()
    {
        var sent = (CatchUpPackage)new WireSamples(3).Artifacts().Single(a => a is CatchUpPackage);
        var back = (CatchUpPackage)WireCodec.Decode(WireCodec.Encode(sent));
        Assert.That(back.Content.Hash(), Is.EqualTo(sent.Content.Hash()));
        Assert.That(back.Content.Block.Block.Hash, Is.EqualTo(sent.Content.Block.Block.Hash));
    }

    [Test]
    public void Decode_EveryProperPrefix_ThrowsWireFormatException()
    {
        foreach (ConsensusMessage m in new WireSamples(11).Artifacts())
        {
            byte[] bytes = WireCodec.Encode(m);
            for (int length = 0; length < bytes.Length; length++)
            {
                Assert.Throws<WireFormatException>(() => WireCodec.Decode(bytes.AsSpan(0, length)), $"{m.GetType().Name} cut at {length}");
            }
        }
    }

    [Test]
    public void Decode_RandomCorruption_ThrowsOnlyWireFormatException()
    {
        const int seed = 2026;
        var rng = new Random(seed);
        byte[][] encodings = [.. new WireSamples(seed).Artifacts().Select(WireCodec.Encode)];
        int rejected = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = (byte[])encodings[rng.Next(encodings.Length)].Clone();
            for (int flips = rng.Next(1, 4); flips > 0; flips--)
            {
                bytes[rng.Next(bytes.Length)] = (byte)rng.Next(256);
            }
            try
            {
                _ = WireCodec.Decode(bytes);
            }
            catch (WireFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, iteration {i}: {e.GetType().Name} for {Convert.ToHexString(bytes)}: {e}");
            }
        }
        Assert.That(rejected, Is.GreaterThan(1000), $"seed {seed}");
    }

    [Test]
    public void TryDecode_ValidAndMalformed_ReturnsTrueThenFalse()
    {
        byte[] bytes = WireCodec.Encode(new StatusRequest(5, 6, 4));
        Assert.That(WireCodec.TryDecode(bytes, out ConsensusMessage? m), Is.True);
        Assert.That(m, Is.EqualTo(new StatusRequest(5, 6, 4)));
        Assert.That(WireCodec.TryDecode(bytes.AsSpan(0, bytes.Length - 1), out m), Is.False);
        Assert.That(m, Is.Null);
    }

    // Field 1 of a status request is an int64; here it arrives as a byte string (wire type 2).
    [TestCase("6A030A0105", TestName = "Decode_MistypedField_ThrowsWireFormatException")]
    // An unknown field 31 after a valid finalized height.
    [TestCase("6A040805F801", TestName = "Decode_UnknownField_ThrowsWireFormatException")]
    // The same field twice: protobuf keeps the last, we refuse the ambiguity.
    [TestCase("6A0408050806", TestName = "Decode_RepeatedScalarField_ThrowsWireFormatException")]
    // A length prefix of 2^32-1.
    [TestCase("6AFFFFFFFF0F", TestName = "Decode_NegativeLength_ThrowsWireFormatException")]
    // An envelope with no artifact.
    [TestCase("", TestName = "Decode_EmptyEnvelope_ThrowsWireFormatException")]
    public void Decode_MalformedBytes_ThrowsWireFormatException(string hex)
    {
        Assert.Throws<WireFormatException>(() => WireCodec.Decode(Convert.FromHexString(hex)));
    }

    [Test]
    public void Decode_MissingRequiredParts_ThrowsWireFormatExceptionNamingThem()
    {
        Assert.That(Reject(new P.ConsensusMessage { BlockProposal = new P.BlockProposal { Signature = ByteString.CopyFrom(1) } }),
            Does.Contain("block proposal block is missing"));
        Assert.That(Reject(new P.ConsensusMessage { RandomBeaconShare = new P.RandomBeaconShare { Height = 3 } }),
            Does.Contain("beacon share is missing"));
        Assert.That(Reject(new P.ConsensusMessage { IngressGossip = new P.IngressGossip() }), Does.Contain("ingress message is missing"));
        Assert.That(Reject(new P.ConsensusMessage { CatchUpPackage = new P.CatchUpPackage() }), Does.Contain("content is missing"));
        Assert.That(Reject(new P.ConsensusMessage { NotarizationShare = new P.NotarizationShare { Height = 1, BlockHash = ByteString.CopyFrom(new byte[31]) } }),
            Does.Contain("block hash is 31 bytes, not 32"));
    }

    [Test]
    public void Decode_NegativeHeightOrSigner_ThrowsWireFormatException()
    {
        var share = new NotarizationShare(-1, new byte[32], 0, [1]);
        Assert.That(Assert.Throws<WireFormatException>(() => WireCodec.Decode(WireCodec.Encode(share)))!.Message, Does.Contain("height -1"));
        Assert.Throws<WireFormatException>(() => WireCodec.Decode(WireCodec.Encode(new NotarizationShare(1, new byte[32], -3, [1]))));
        Assert.Throws<WireFormatException>(() => WireCodec.Decode(WireCodec.Encode(new StatusRequest(1, -2, 0))));
        var makerMinusTwo = new BlockProposal(new Block(1, new byte[32], -2, 0, 0, []), [1]);
        Assert.That(Assert.Throws<WireFormatException>(() => WireCodec.Decode(WireCodec.Encode(makerMinusTwo)))!.Message,
            Does.Contain("maker -2"));
    }

    [Test]
    public void Decode_GenesisProposal_KeepsMakerMinusOne()
    {
        var genesis = new BlockProposal(Block.Genesis(new byte[32]), []);
        var back = (BlockProposal)WireCodec.Decode(WireCodec.Encode(genesis));
        Assert.That(back.Block.Maker, Is.EqualTo(-1));
        Assert.That(back.Block.Hash, Is.EqualTo(genesis.Block.Hash));
    }

    [Test]
    public void Decode_BlockOverMessageLimit_ThrowsWireFormatException()
    {
        int max = WireCodec.Limits.MaxIngressMessagesPerBlock;
        var samples = new WireSamples(5);
        Assert.That(WireCodec.Decode(WireCodec.Encode(samples.Proposal(max, 1))), Is.TypeOf<BlockProposal>());
        string error = Assert.Throws<WireFormatException>(() => WireCodec.Decode(WireCodec.Encode(samples.Proposal(max + 1, 1))))!.Message;
        Assert.That(error, Does.Contain($"{max + 1} ingress messages, more than {max}"));
    }

    [Test]
    public void Decode_BlockOverPayloadBytes_ThrowsWireFormatException()
    {
        BlockProposal big = new WireSamples(6).Proposal(3, 1536 * 1024);
        Assert.That(Assert.Throws<WireFormatException>(() => WireCodec.Decode(WireCodec.Encode(big)))!.Message,
            Does.Contain("block payload"));
    }

    [Test]
    public void Decode_IngressContentOverLimit_ThrowsWireFormatException()
    {
        var gossip = new IngressGossip(new IngressMessage(new byte[WireCodec.Limits.MaxIngressMessageBytes + 1], 1));
        Assert.That(Assert.Throws<WireFormatException>(() => WireCodec.Decode(WireCodec.Encode(gossip)))!.Message,
            Does.Contain("ingress message content"));
    }

    [Test]
    public void Decode_SignatureOver8MiB_ThrowsWireFormatException()
    {
        var beacon = new RandomBeacon(4, new byte[WireCodec.MaxFieldBytes + 1]);
        Assert.That(Assert.Throws<WireFormatException>(() => WireCodec.Decode(WireCodec.Encode(beacon)))!.Message,
            Does.Contain($"beacon signature is {WireCodec.MaxFieldBytes + 1} bytes"));
    }

    [Test]
    public void Decode_SyncBundleInsideSyncBundle_ThrowsWireFormatException()
    {
        var inner = new SyncBundle([new StatusRequest(1, 2, 0)], 1);
        Assert.That(WireCodec.Decode(WireCodec.Encode(inner)), Is.TypeOf<SyncBundle>());
        Assert.That(Assert.Throws<WireFormatException>(() => WireCodec.Decode(WireCodec.Encode(new SyncBundle([inner], 2))))!.Message,
            Does.Contain("sync bundle inside a sync bundle"));
    }

    [Test]
    public void Decode_DeeplyNestedBundles_ThrowsWireFormatException()
    {
        var m = new P.ConsensusMessage { StatusRequest = new P.StatusRequest { Round = 1 } };
        for (int i = 0; i < 200; i++)
        {
            m = new P.ConsensusMessage { SyncBundle = new P.SyncBundle { Messages = { m } } };
        }
        Assert.Throws<WireFormatException>(() => WireCodec.Decode(m.ToByteArray()));
    }

    private static string Reject(P.ConsensusMessage message) =>
        Assert.Throws<WireFormatException>(() => WireCodec.Decode(message.ToByteArray()))!.Message;
}
