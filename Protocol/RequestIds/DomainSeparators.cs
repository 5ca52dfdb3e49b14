namespace InternetIdentity.Protocol.RequestIds;

/// <summary>The domain separators of the IC interface: one length byte, then the ASCII name.</summary>
public static class DomainSeparators
{
    /// <summary><c>\x0Aic-request</c>: prefix of the message a sender signs (the request id follows).</summary>
    public static ReadOnlySpan<byte> Request => "\x0Aic-request"u8;

    /// <summary><c>\x1Aic-request-auth-delegation</c>: prefix of a signed delegation (hash_of_map follows).</summary>
    public static ReadOnlySpan<byte> RequestAuthDelegation => "\x1Aic-request-auth-delegation"u8;

    /// <summary><c>\x0Bic-response</c>: prefix of a node's signature on a query response.</summary>
    public static ReadOnlySpan<byte> Response => "\x0Bic-response"u8;

    /// <summary><c>\x0Dic-state-root</c>: prefix of the root hash a subnet signs in a certificate.</summary>
    public static ReadOnlySpan<byte> StateRoot => "\x0Dic-state-root"u8;

    /// <summary><c>\x0Eic-sender-info</c>: prefix of signed sender information.</summary>
    public static ReadOnlySpan<byte> SenderInfo => "\x0Eic-sender-info"u8;

    /// <summary><c>\x11ic-hashtree-empty</c>.</summary>
    public static ReadOnlySpan<byte> HashTreeEmpty => "\x11ic-hashtree-empty"u8;

    /// <summary><c>\x10ic-hashtree-fork</c>.</summary>
    public static ReadOnlySpan<byte> HashTreeFork => "\x10ic-hashtree-fork"u8;

    /// <summary><c>\x13ic-hashtree-labeled</c>.</summary>
    public static ReadOnlySpan<byte> HashTreeLabeled => "\x13ic-hashtree-labeled"u8;

    /// <summary><c>\x10ic-hashtree-leaf</c>.</summary>
    public static ReadOnlySpan<byte> HashTreeLeaf => "\x10ic-hashtree-leaf"u8;

    /// <summary>Concatenates a domain separator and a message into the bytes that get signed.</summary>
    public static byte[] Prefix(ReadOnlySpan<byte> separator, ReadOnlySpan<byte> message)
    {
        var result = new byte[separator.Length + message.Length];
        separator.CopyTo(result);
        message.CopyTo(result.AsSpan(separator.Length));
        return result;
    }
}
