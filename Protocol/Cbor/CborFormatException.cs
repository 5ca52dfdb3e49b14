namespace InternetIdentity.Protocol.Cbor;

/// <summary>Thrown when bytes are not valid CBOR of the shape the IC interface requires (envelopes, certificates, hash trees, signatures).</summary>
public sealed class CborFormatException : FormatException
{
    /// <summary>Creates the exception with a message in the IC's terms.</summary>
    public CborFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the underlying decoder error.</summary>
    public CborFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
