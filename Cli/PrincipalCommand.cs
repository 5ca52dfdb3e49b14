using System.CommandLine;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Cli;

/// <summary>`iinet principal ...`: convert principals between text and hex, and derive self-authenticating and canister ids.</summary>
internal static class PrincipalCommand
{
    public static Command Create()
    {
        Argument<string?> from = new("FROM")
        {
            Description = "a textual principal (prints hex) or hex bytes, 0x optional (prints text)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        Option<string> selfAuth = new("--self-authenticating") { Description = "DER public key (hex): print its self-authenticating principal" };
        Option<string> canister = new("--canister") { Description = "u64 index N: print canister id N" };
        var cmd = new Command("principal", "convert principals: text to hex, hex to text, self-authenticating ids of DER keys, canister ids")
        {
            from, selfAuth, canister,
        };
        cmd.SetAction(r =>
        {
            string? input = r.GetValue(from);
            string? der = r.GetValue(selfAuth);
            string? index = r.GetValue(canister);
            if ((input is null ? 0 : 1) + (der is null ? 0 : 1) + (index is null ? 0 : 1) != 1)
            {
                throw new CliInputException("give exactly one of FROM, --self-authenticating DER_HEX and --canister N");
            }

            TextWriter o = r.InvocationConfiguration.Output;
            if (der is not null)
            {
                Principal p = Principal.SelfAuthenticating(HexArgument.Parse(StripHexPrefix(der), "--self-authenticating"));
                o.WriteLine($"{p} {p.ToHex()}");
                return ExitCodes.Success;
            }

            if (index is not null)
            {
                if (!ulong.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong n))
                {
                    throw new CliInputException($"--canister: '{index}' is not a u64");
                }

                Principal p = Principal.CanisterId(n);
                o.WriteLine($"{p} {p.ToHex()}");
                return ExitCodes.Success;
            }

            if (input!.Contains('-', StringComparison.Ordinal))
            {
                if (!Principal.TryParse(input, out Principal? parsed, out string? error))
                {
                    throw new CliInputException(error!);
                }

                o.WriteLine(parsed!.ToHex());
                return ExitCodes.Success;
            }

            byte[] bytes = HexArgument.Parse(StripHexPrefix(input), "FROM");
            if (!Principal.TryFromBytes(bytes, out Principal fromBytes))
            {
                throw new CliInputException($"FROM: a principal has at most {Principal.MaxLength} bytes, got {bytes.Length}");
            }

            o.WriteLine(fromBytes.ToString());
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static string StripHexPrefix(string hex) => hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
}
