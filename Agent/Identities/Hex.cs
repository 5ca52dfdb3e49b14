namespace InternetIdentity.Agent.Identities;

/// <summary>Hex text of keys and signatures in agent-js JSON (either case).</summary>
internal static class Hex
{
    public static byte[] Decode(string? text, string what)
    {
        if (text is null)
        {
            throw new IdentityFormatException($"{what} is missing");
        }

        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException e)
        {
            throw new IdentityFormatException($"{what} is not hex", e);
        }
    }
}
