namespace InternetIdentity.Agent.Http;

/// <summary>Base of the errors an <see cref="HttpAgent"/> raises for what the network answered.</summary>
public class IcAgentException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public IcAgentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and the underlying error.</summary>
    public IcAgentException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
