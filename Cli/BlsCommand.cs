using System.CommandLine;
using System.Text;
using InternetIdentity.ThresholdSigning;
using InternetIdentity.ThresholdSigning.Signatures;

namespace InternetIdentity.Cli;

/// <summary>`iinet bls ...`: BLS12-381 keys, signatures and hashing (min-sig, as the IC uses it).</summary>
internal static class BlsCommand
{
    public static Command Create()
    {
        var bls = new Command("bls", "BLS12-381 keys, signatures and hash-to-curve, as the IC uses them (hex in and out)");
        bls.Subcommands.Add(KeyGenCommand());
        bls.Subcommands.Add(PublicKeyCommand());
        bls.Subcommands.Add(SignCommand());
        bls.Subcommands.Add(VerifyCommand());
        bls.Subcommands.Add(HashToG1Command());
        bls.Subcommands.Add(BlsBenchCommand.Create());
        return bls;
    }

    private static Option<string> HexOption(string name, string description) =>
        new(name) { Description = description, Required = true };

    private static Command KeyGenCommand()
    {
        Option<string> seed = HexOption("--seed", "input key material, at least 32 bytes of hex");
        var cmd = new Command("keygen", "derive a secret key from a seed (IETF BLS KeyGen) and print it with its public key") { seed };
        cmd.SetAction(r =>
        {
            byte[] ikm = HexArgument.Parse(r.GetValue(seed), "--seed");
            if (ikm.Length < KeyGen.MinimumSeedLength)
            {
                throw new CliInputException($"--seed: need at least {KeyGen.MinimumSeedLength} bytes, got {ikm.Length}");
            }

            using SecretKey sk = SecretKey.FromSeed(ikm);
            TextWriter o = r.InvocationConfiguration.Output;
            o.WriteLine("secret_key " + HexArgument.Format(sk.ToBytes()));
            o.WriteLine("public_key " + HexArgument.Format(sk.PublicKey.ToBytes()));
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static SecretKey ParseSecret(ParseResult r, Option<string> option)
    {
        byte[] bytes = HexArgument.Parse(r.GetValue(option), "--secret");
        return SecretKey.TryFromBytes(bytes, out SecretKey? sk)
            ? sk
            : throw new CliInputException($"--secret: a secret key is 32 bytes, big-endian, in [1, r-1] (got {bytes.Length} bytes)");
    }

    private static Command PublicKeyCommand()
    {
        Option<string> secret = HexOption("--secret", "the 32-byte secret key");
        var cmd = new Command("public-key", "print the 96-byte compressed G2 public key of a secret key") { secret };
        cmd.SetAction(r =>
        {
            using SecretKey sk = ParseSecret(r, secret);
            r.InvocationConfiguration.Output.WriteLine(HexArgument.Format(sk.PublicKey.ToBytes()));
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static Command SignCommand()
    {
        Option<string> secret = HexOption("--secret", "the 32-byte secret key");
        Option<string> msg = HexOption("--msg", "the message");
        var cmd = new Command("sign", "print the 48-byte compressed G1 signature of a message") { secret, msg };
        cmd.SetAction(r =>
        {
            using SecretKey sk = ParseSecret(r, secret);
            byte[] message = HexArgument.Parse(r.GetValue(msg), "--msg");
            r.InvocationConfiguration.Output.WriteLine(HexArgument.Format(sk.Sign(message).ToBytes()));
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static Command VerifyCommand()
    {
        Option<string> publicKey = HexOption("--public-key", "the 96-byte compressed public key");
        Option<string> msg = HexOption("--msg", "the message");
        Option<string> signature = HexOption("--signature", "the 48-byte compressed signature");
        var cmd = new Command("verify", "print valid (exit 0) or invalid (exit 1)") { publicKey, msg, signature };
        cmd.SetAction(r =>
        {
            byte[] pkBytes = HexArgument.Parse(r.GetValue(publicKey), "--public-key");
            byte[] message = HexArgument.Parse(r.GetValue(msg), "--msg");
            byte[] sigBytes = HexArgument.Parse(r.GetValue(signature), "--signature");
            if (!PublicKey.TryFromBytes(pkBytes, out PublicKey? pk, out string? error))
            {
                throw new CliInputException("--public-key: " + error);
            }

            if (!Signature.TryFromBytes(sigBytes, out Signature? sig, out error))
            {
                throw new CliInputException("--signature: " + error);
            }

            bool valid = Bls.Verify(pk, message, sig);
            r.InvocationConfiguration.Output.WriteLine(valid ? "valid" : "invalid");
            return valid ? ExitCodes.Success : ExitCodes.Invalid;
        });
        return cmd;
    }

    private static Command HashToG1Command()
    {
        Option<string> msg = HexOption("--msg", "the message");
        var dst = new Option<string>("--dst") { Description = "domain separation tag (text)", DefaultValueFactory = _ => Bls.SignatureDst };
        var cmd = new Command("hash-to-g1", "print the compressed G1 point of RFC 9380 hash_to_curve") { msg, dst };
        cmd.SetAction(r =>
        {
            byte[] message = HexArgument.Parse(r.GetValue(msg), "--msg");
            string tag = r.GetValue(dst) ?? Bls.SignatureDst;
            if (tag.Length == 0)
            {
                throw new CliInputException("--dst: the domain separation tag must not be empty");
            }

            byte[] dstBytes = Encoding.UTF8.GetBytes(tag);
            r.InvocationConfiguration.Output.WriteLine(HexArgument.Format(HashToG1.Hash(message, dstBytes).ToAffine().ToCompressed()));
            return ExitCodes.Success;
        });
        return cmd;
    }
}
