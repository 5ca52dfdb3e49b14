namespace InternetIdentity.Replica.Genesis;

/// <summary>Thrown when a replica configuration file is malformed or inconsistent (the message says what and where).</summary>
public sealed class GenesisConfigException : FormatException
{
    /// <summary>Creates the exception with a readable reason.</summary>
    public GenesisConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a readable reason and its cause.</summary>
    public GenesisConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
