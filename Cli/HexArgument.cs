namespace InternetIdentity.Cli;

/// <summary>Hex as the CLI takes it: no 0x prefix, even length; a malformed value raises <see cref="CliInputException"/>.</summary>
internal static class HexArgument
{
    public static byte[] Parse(string? value, string name)
    {
        if (value is null)
        {
            throw new CliInputException($"{name} is required");
        }

        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliInputException($"{name}: give hex without the 0x prefix");
        }

        if (value.Length % 2 != 0)
        {
            throw new CliInputException($"{name}: hex has an odd number of digits ({value.Length})");
        }

        try
        {
            return Convert.FromHexString(value);
        }
        catch (FormatException)
        {
            throw new CliInputException($"{name}: not hex");
        }
    }

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}

/// <summary>Malformed input given to a verb: reported as one line on stderr with exit code 2.</summary>
internal sealed class CliInputException(string message) : Exception(message);
