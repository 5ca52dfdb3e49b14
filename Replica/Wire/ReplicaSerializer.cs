using System.Collections.Frozen;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Google.Protobuf;
using InternetIdentity.Consensus.Messages;
using InternetIdentity.Replica.Cluster;
using P = InternetIdentity.Replica.Wire.Proto;

namespace InternetIdentity.Replica.Wire;

/// <summary>
/// The Akka serializer of replica messages, for remoting and the journal: Protocol Buffers with a short, stable
/// manifest per type. A manifest is never reused; a change of a message's meaning gets a new manifest ("prop2").
/// </summary>
public sealed class ReplicaSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer id, fixed forever because it is stored in the journal (Akka reserves 0..40).</summary>
    public const int Id = 4943;

    /// <summary>
    /// HOCON that registers this serializer and binds <see cref="IReplicaMessage"/> and <see cref="ConsensusMessage"/>
    /// to it; include it in every replica ActorSystem's configuration.
    /// </summary>
    public const string Hocon = """
        akka.actor {
          serializers.replica = "InternetIdentity.Replica.Wire.ReplicaSerializer, InternetIdentity.Replica"
          serialization-bindings {
            "InternetIdentity.Replica.Cluster.IReplicaMessage, InternetIdentity.Replica" = replica
            "InternetIdentity.Consensus.Messages.ConsensusMessage, InternetIdentity.Consensus" = replica
          }
        }
        """;

    private static readonly (Type Type, string Manifest, MessageParser Parser)[] Table =
    [
        (typeof(BlockProposal), "prop1", P.BlockProposal.Parser),
        (typeof(RandomBeaconShare), "rbs1", P.RandomBeaconShare.Parser),
        (typeof(RandomBeacon), "rb1", P.RandomBeacon.Parser),
        (typeof(NotarizationShare), "nsh1", P.NotarizationShare.Parser),
        (typeof(Notarization), "nz1", P.Notarization.Parser),
        (typeof(FinalizationShare), "fsh1", P.FinalizationShare.Parser),
        (typeof(Finalization), "fz1", P.Finalization.Parser),
        (typeof(CertificationShare), "csh1", P.CertificationShare.Parser),
        (typeof(Certification), "cert1", P.Certification.Parser),
        (typeof(CatchUpShare), "cush1", P.CatchUpShare.Parser),
        (typeof(CatchUpPackage), "cup1", P.CatchUpPackage.Parser),
        (typeof(IngressGossip), "ing1", P.IngressGossip.Parser),
        (typeof(StatusRequest), "st1", P.StatusRequest.Parser),
        (typeof(SyncBundle), "sync1", P.SyncBundle.Parser),
        (typeof(PeerMessage), "peer1", P.PeerMessage.Parser),
        (typeof(CheckpointRequest), "ckq1", P.CheckpointRequest.Parser),
        (typeof(CheckpointChunk), "ckc1", P.CheckpointChunk.Parser),
        (typeof(Checkpoint), "ckp1", P.Checkpoint.Parser),
        (typeof(SignedFrame), "frame1", P.SignedFrame.Parser),
    ];

    private static readonly FrozenDictionary<Type, string> Manifests = Table.ToFrozenDictionary(t => t.Type, t => t.Manifest);
    private static readonly FrozenDictionary<string, MessageParser> Parsers = Table.ToFrozenDictionary(t => t.Manifest, t => t.Parser);

    /// <summary>Created by Akka from the configuration.</summary>
    public ReplicaSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <inheritdoc/>
    public override int Identifier => Id;

    /// <summary>Every manifest this serializer writes, by message type.</summary>
    public static IReadOnlyDictionary<Type, string> ManifestsByType => Manifests;

    /// <inheritdoc/>
    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out string? manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType()} is not a replica message", nameof(o));

    /// <inheritdoc/>
    public override byte[] ToBinary(object obj) => WireCodec.ToProto(obj).ToByteArray();

    /// <summary>Decodes a message; unknown manifests and malformed bytes throw SerializationException, so remoting drops the message.</summary>
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Parsers.TryGetValue(manifest, out MessageParser? parser))
        {
            throw new SerializationException($"unknown replica message manifest '{manifest}' (this replica knows {string.Join(", ", Parsers.Keys)})");
        }
        try
        {
            return WireCodec.FromProto(WireCodec.Parse(parser, bytes, manifest));
        }
        catch (WireFormatException e)
        {
            throw new SerializationException($"cannot decode replica message '{manifest}' ({bytes.Length} bytes): {e.Message}", e);
        }
    }
}
