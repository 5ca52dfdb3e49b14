using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using InternetIdentity.Consensus;
using InternetIdentity.Consensus.Messages;
using P = InternetIdentity.Replica.Wire.Proto;

namespace InternetIdentity.Replica.Wire;

/// <summary>
/// Converts replica messages to and from Protocol Buffers (<c>Wire/replica.proto</c>). Decoding checks every field
/// and rebuilds artifacts through their constructors, so block hashes and request ids are recomputed, never trusted.
/// Malformed bytes throw <see cref="WireFormatException"/>.
/// </summary>
public static partial class WireCodec
{
    /// <summary>Largest byte field (signature, hash, ingress content, checkpoint chunk): 8 MiB, the remoting frame limit.</summary>
    public const int MaxFieldBytes = 8 * 1024 * 1024;

    /// <summary>Largest checkpoint state in one journal entry (1 GiB); peers receive it in chunks of at most <see cref="MaxFieldBytes"/>.</summary>
    public const int MaxCheckpointStateBytes = 1024 * 1024 * 1024;

    /// <summary>The block limits enforced on decoding: the ConsensusConfig defaults (the subnet does not change them).</summary>
    internal static ConsensusConfig Limits { get; } = new();

    /// <summary>Encodes any artifact, tagged with its kind.</summary>
    public static byte[] Encode(ConsensusMessage message) => Wrap(message).ToByteArray();

    /// <summary>Decodes bytes made by <see cref="Encode"/>; throws <see cref="WireFormatException"/> when malformed.</summary>
    public static ConsensusMessage Decode(ReadOnlySpan<byte> bytes) =>
        ReadArtifact((P.ConsensusMessage)Parse(P.ConsensusMessage.Parser, bytes, "consensus message"), nested: false);

    /// <summary>Decodes bytes made by <see cref="Encode"/>, or returns false when they are malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out ConsensusMessage? message)
    {
        try
        {
            message = Decode(bytes);
            return true;
        }
        catch (WireFormatException)
        {
            message = null;
            return false;
        }
    }

    /// <summary>
    /// Parses one protobuf message strictly: besides protobuf's own checks (truncation, bad lengths, nesting), the
    /// bytes must be exactly what this encoder writes, so unknown or mistyped fields (which protobuf would skip and
    /// leave at their defaults), repeated scalars and padded varints are rejected rather than silently read as zero.
    /// </summary>
    internal static IMessage Parse(MessageParser parser, ReadOnlySpan<byte> bytes, string what)
    {
        IMessage message;
        try
        {
            message = parser.WithDiscardUnknownFields(true).ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new WireFormatException($"malformed {what}: {e.Message}", e);
        }
        if (message.CalculateSize() != bytes.Length)
        {
            throw new WireFormatException($"malformed {what}: unknown, mistyped or non-canonical fields");
        }
        return message;
    }
}
