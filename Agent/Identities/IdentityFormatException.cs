namespace InternetIdentity.Agent.Identities;

/// <summary>A key or delegation chain in PEM or JSON form is malformed or of an unsupported kind.</summary>
public sealed class IdentityFormatException : FormatException
{
    /// <summary>Creates the exception with the reason.</summary>
    public IdentityFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and the underlying error.</summary>
    public IdentityFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
