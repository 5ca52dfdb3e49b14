namespace InternetIdentity.Cli;

/// <summary>The exit codes every verb uses.</summary>
internal static class ExitCodes
{
    /// <summary>Success, or the signature/certificate is valid.</summary>
    public const int Success = 0;

    /// <summary>The signature or certificate is invalid.</summary>
    public const int Invalid = 1;

    /// <summary>The input is malformed (a one-line message goes to stderr).</summary>
    public const int Malformed = 2;

    /// <summary>An unexpected failure inside iinet itself.</summary>
    public const int InternalError = 3;
}
