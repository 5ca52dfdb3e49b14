using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.Consensus.Messages;

/// <summary>
/// An update message as consensus sees it: opaque content and an expiry. Its request id is the SHA-256 of its
/// canonical encoding, computed here, so no peer can attach a wrong id.
/// </summary>
public sealed class IngressMessage
{
    /// <summary>Creates a message; the request id is derived from the content.</summary>
    public IngressMessage(byte[] content, long expiryMs)
    {
        ArgumentNullException.ThrowIfNull(content);
        Content = content;
        ExpiryMs = expiryMs;
        var w = new CanonicalWriter();
        w.Byte(MessageTags.Ingress);
        w.Int64(expiryMs);
        w.Bytes(content);
        RequestId = Digest.FromBytes(Sha256.HashData(w.ToArray()));
    }

    /// <summary>The message content (an IC envelope in the host; anything in the simulator).</summary>
    public byte[] Content { get; }

    /// <summary>Expiry in milliseconds since the epoch of the subnet clock.</summary>
    public long ExpiryMs { get; }

    /// <summary>The request id, the hash of the content and expiry.</summary>
    public Digest RequestId { get; }

    /// <summary>Bytes this message takes in a block payload.</summary>
    public int Size => Content.Length + 8;

    internal void Write(CanonicalWriter w)
    {
        w.Int64(ExpiryMs);
        w.Bytes(Content);
    }
}
