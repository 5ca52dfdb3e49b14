namespace InternetIdentity.Replica.Genesis.Dkg;

/// <summary>The networked DKG cannot complete: a peer sent something invalid, or the peers disagree.</summary>
public sealed class DkgException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DkgException()
    {
    }

    /// <summary>Creates the exception with a message saying what went wrong, in the DKG's terms.</summary>
    public DkgException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DkgException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
