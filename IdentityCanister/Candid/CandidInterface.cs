namespace InternetIdentity.IdentityCanister.Candid;

/// <summary>The service's .did text, embedded in the assembly; served as <c>candid:service</c> metadata.</summary>
internal static class CandidInterface
{
    /// <summary>The .did text.</summary>
    public static string Text { get; } = Load();

    private static string Load()
    {
        using Stream stream = typeof(CandidInterface).Assembly.GetManifestResourceStream("InternetIdentity.IdentityCanister.internet_identity.did")
            ?? throw new InvalidOperationException("internet_identity.did is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
