namespace InternetIdentity.Protocol.Signatures;

/// <summary>Thrown when a DER-encoded public key is malformed or of a scheme the IC does not support.</summary>
public sealed class DerFormatException : FormatException
{
    /// <summary>Creates the exception with the reason.</summary>
    public DerFormatException(string message)
        : base(message)
    {
    }
}
