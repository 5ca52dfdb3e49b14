using System.CommandLine;
using System.Globalization;
using System.Text;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Cli;

/// <summary>`iinet cert ...`: verify, show and look up IC certificates (bare, or inside a read_state / call response body).</summary>
internal static class CertCommand
{
    public static Command Create()
    {
        var cert = new Command("cert", "verify, show and look up IC certificates (FILE: binary or hex; a certificate or a response body holding one)");
        cert.Subcommands.Add(VerifyCommand());
        cert.Subcommands.Add(ShowCommand());
        cert.Subcommands.Add(LookupCommand());
        return cert;
    }

    private static Argument<string> FileArgument() => new("FILE") { Description = "certificate or response body, binary or hex" };

    private static Command VerifyCommand()
    {
        Argument<string> file = FileArgument();
        Option<string> rootKey = new("--root-key") { Description = "root key: 96-byte raw or 133-byte DER, hex" };
        Option<bool> mainnet = new("--mainnet") { Description = "use the IC mainnet root key" };
        Option<string> canister = new("--canister") { Description = "effective canister id: a delegation must cover it" };
        Option<string> subnet = new("--subnet") { Description = "effective subnet id: a delegation must be for it" };
        Option<string> maxAge = new("--max-age") { Description = "how old /time may be, e.g. 5m, 90s, 2h, 7d (default 5m)" };
        Option<bool> noTimeCheck = new("--no-time-check") { Description = "do not check /time against the clock" };
        var cmd = new Command("verify", "verify a certificate against a root key; prints `valid` with /time and the delegation's subnet, or `invalid: reason`")
        {
            file, rootKey, mainnet, canister, subnet, maxAge, noTimeCheck,
        };
        cmd.SetAction(r =>
        {
            string? keyHex = r.GetValue(rootKey);
            if ((keyHex is null) == !r.GetValue(mainnet))
            {
                throw new CliInputException("give exactly one of --root-key HEX and --mainnet");
            }

            if (r.GetValue(noTimeCheck) && r.GetValue(maxAge) is not null)
            {
                throw new CliInputException("give at most one of --max-age and --no-time-check");
            }

            byte[] key = keyHex is null ? IcRootKeys.MainnetDer.ToArray() : HexArgument.Parse(keyHex, "--root-key");
            if (!CertificateVerifier.TryRawBlsKey(key, out _))
            {
                throw new CliInputException("--root-key: expected a 96-byte BLS12-381 key or its 133-byte DER");
            }

            Certificate certificate = Load(r.GetValue(file)!);
            var options = new CertificateVerificationOptions
            {
                RootKey = key,
                EffectiveCanisterId = ParsePrincipal(r.GetValue(canister), "--canister"),
                EffectiveSubnetId = ParsePrincipal(r.GetValue(subnet), "--subnet"),
                NowNanos = r.GetValue(noTimeCheck) ? null : NowNanos(),
                MaxAgeNanos = ParseDuration(r.GetValue(maxAge) ?? "5m"),
            };
            VerificationResult result = CertificateVerifier.Verify(certificate, options);
            TextWriter o = r.InvocationConfiguration.Output;
            if (!result.IsValid)
            {
                o.WriteLine("invalid: " + result.Reason);
                return ExitCodes.Invalid;
            }

            string time = certificate.Time is { } t ? FormatTime(t) : "none";
            string by = certificate.Delegation is { } d ? $"subnet {d.SubnetId} (delegated by the root key)" : "root key (no delegation)";
            o.WriteLine($"valid: time {time}, signed by {by}");
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static Command ShowCommand()
    {
        Argument<string> file = FileArgument();
        var cmd = new Command("show", "print the certificate's tree (known leaves decoded, pruned nodes as hashes) and its delegation") { file };
        cmd.SetAction(r =>
        {
            Certificate certificate = Load(r.GetValue(file)!);
            CertificatePrinter.Print(certificate, r.InvocationConfiguration.Output, "");
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static Command LookupCommand()
    {
        Argument<string> file = FileArgument();
        Argument<string> path = new("PATH")
        {
            Description = "labels separated by '/': text, 0x-prefixed hex, or a textual principal (looked up as its bytes)",
        };
        var cmd = new Command("lookup", "look up a path: prints the value, or absent / unknown / error (exit 1)") { file, path };
        cmd.SetAction(r =>
        {
            Certificate certificate = Load(r.GetValue(file)!);
            Label[] labels = ParsePath(r.GetValue(path)!);
            LookupResult found = certificate.Lookup(labels);
            TextWriter o = r.InvocationConfiguration.Output;
            switch (found.Status)
            {
                case LookupStatus.Found:
                    o.WriteLine(CertificatePrinter.FormatLeaf(labels, found.Value.Span));
                    return ExitCodes.Success;
                case LookupStatus.Error:
                    o.WriteLine("error: the path ends at a subtree or passes through a leaf");
                    return ExitCodes.Invalid;
                default:
                    o.WriteLine(found.Status == LookupStatus.Absent ? "absent" : "unknown");
                    return ExitCodes.Invalid;
            }
        });
        return cmd;
    }

    /// <summary>Splits a path into labels: "0x.." is hex, a valid textual principal is its bytes, anything else UTF-8.</summary>
    internal static Label[] ParsePath(string path)
    {
        string trimmed = path.Trim('/');
        if (trimmed.Length == 0)
        {
            return [];
        }

        return trimmed.Split('/').Select(part =>
        {
            if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    return new Label(Convert.FromHexString(part[2..]));
                }
                catch (FormatException)
                {
                    throw new CliInputException($"path label '{part}' is not hex");
                }
            }

            return part.Contains('-', StringComparison.Ordinal) && Principal.TryParse(part, out Principal? p) ? (Label)p! : (Label)part;
        }).ToArray();
    }

    private static Certificate Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot read {path}: {e.Message}");
        }

        string text = Encoding.ASCII.GetString(bytes).Trim();
        if (text.Length > 0 && text.Length % 2 == 0 && text.All(Uri.IsHexDigit))
        {
            bytes = Convert.FromHexString(text);
        }

        try
        {
            return Certificate.DecodeCertificateOrResponse(bytes);
        }
        catch (CborFormatException e)
        {
            throw new CliInputException($"{path}: {e.Message}");
        }
    }

    private static Principal? ParsePrincipal(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return Principal.TryParse(text, out Principal? p, out string? error) ? p : throw new CliInputException($"{option}: {error}");
    }

    // The CLI is the composition root: it may read the clock that the pure core takes as input.
    private static ulong NowNanos() => (ulong)(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000);

    /// <summary>Parses 90s, 5m, 2h, 7d (or a TimeSpan such as 00:05:00) into nanoseconds.</summary>
    internal static ulong ParseDuration(string text)
    {
        ulong unit = text.Length == 0 ? 0 : text[^1] switch
        {
            's' => 1_000_000_000UL,
            'm' => 60_000_000_000UL,
            'h' => 3_600_000_000_000UL,
            'd' => 86_400_000_000_000UL,
            _ => 0,
        };
        if (unit != 0 && ulong.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) && n <= ulong.MaxValue / unit)
        {
            return n * unit;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span) && span >= TimeSpan.Zero)
        {
            return (ulong)span.Ticks * 100;
        }

        throw new CliInputException($"--max-age: '{text}' is not a duration such as 90s, 5m, 2h or 7d");
    }

    internal static string FormatTime(ulong nanos) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(nanos / 1_000_000)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + $" ({nanos} ns)";

    /// <summary>Prints certificates as an indented tree.</summary>
    private static class CertificatePrinter
    {
        public static void Print(Certificate certificate, TextWriter o, string indent)
        {
            o.WriteLine($"{indent}root hash {Convert.ToHexStringLower(certificate.Tree.Digest)}");
            o.WriteLine($"{indent}signature {Convert.ToHexStringLower(certificate.Signature)}");
            o.WriteLine($"{indent}tree");
            PrintTree(certificate.Tree, [], o, indent + "  ");
            if (certificate.Delegation is { } d)
            {
                o.WriteLine($"{indent}delegation to subnet {d.SubnetId}");
                try
                {
                    Print(Certificate.Decode(d.CertificateBytes), o, indent + "  ");
                }
                catch (CborFormatException e)
                {
                    o.WriteLine($"{indent}  malformed delegation certificate: {e.Message}");
                }
            }
        }

        private static void PrintTree(HashTree tree, List<Label> path, TextWriter o, string indent)
        {
            // Forks are flattened: what a reader cares about is the labeled structure and what is pruned.
            var stack = new Stack<HashTree>();
            stack.Push(tree);
            while (stack.Count > 0)
            {
                HashTree t = stack.Pop();
                switch (t.Kind)
                {
                    case HashTreeKind.Fork:
                        stack.Push(t.Right!);
                        stack.Push(t.Left!);
                        break;
                    case HashTreeKind.Empty:
                        break;
                    case HashTreeKind.Pruned:
                        o.WriteLine($"{indent}[pruned {Convert.ToHexStringLower(t.Bytes)}]");
                        break;
                    case HashTreeKind.Leaf:
                        o.WriteLine($"{indent}= {FormatLeaf(path, t.Bytes)}");
                        break;
                    case HashTreeKind.Labeled:
                        path.Add(t.NodeLabel);
                        string name = FormatLabel(path);
                        if (t.Left!.Kind == HashTreeKind.Leaf)
                        {
                            o.WriteLine($"{indent}{name} = {FormatLeaf(path, t.Left.Bytes)}");
                        }
                        else if (t.Left.Kind == HashTreeKind.Pruned)
                        {
                            o.WriteLine($"{indent}{name} [pruned {Convert.ToHexStringLower(t.Left.Bytes)}]");
                        }
                        else
                        {
                            o.WriteLine($"{indent}{name}");
                            PrintTree(t.Left, path, o, indent + "  ");
                        }

                        path.RemoveAt(path.Count - 1);
                        break;
                }
            }
        }

        // Labels that are principals in the state tree (canister, subnet and node ids) print as textual principals.
        private static string FormatLabel(List<Label> path)
        {
            Label label = path[^1];
            string? parent = path.Count >= 2 ? path[^2].ToString() : null;
            bool isPrincipal = parent is "canister" or "subnet" or "node" or "canister_ranges"
                || (path.Count == 3 && path[0].ToString() == "canister_ranges");
            if (isPrincipal && label.Bytes.Length <= Principal.MaxLength && path.Count >= 2)
            {
                return Principal.FromBytes(label.Bytes).ToString();
            }

            return label.ToString();
        }

        public static string FormatLeaf(IReadOnlyList<Label> path, ReadOnlySpan<byte> value)
        {
            string last = path.Count > 0 ? path[^1].ToString() : "";
            string first = path.Count > 0 ? path[0].ToString() : "";
            try
            {
                switch (last)
                {
                    case "time" when Leb128.TryDecodeUnsigned(value, out ulong t):
                        return FormatTime(t);
                    case "reject_code" when Leb128.TryDecodeUnsigned(value, out ulong code):
                        return code.ToString(CultureInfo.InvariantCulture);
                    case "canister_ranges":
                        return FormatRanges(value);
                    case "controllers":
                        return "[" + string.Join(", ", DecodePrincipalList(value)) + "]";
                    case "public_key" when DerPublicKey.TryParse(value, out DerPublicKey? key, out _):
                        return $"{key!.Scheme} key {Convert.ToHexStringLower(value)}";
                }

                if (first == "canister_ranges" && path.Count == 3)
                {
                    return FormatRanges(value);
                }
            }
            catch (CborFormatException)
            {
                // Not what the path suggests: fall back to the generic rendering.
            }

            return FormatBytes(value);
        }

        private static string FormatRanges(ReadOnlySpan<byte> value) =>
            string.Join(", ", CanisterRanges.Decode(value.ToArray()).Ranges.Select(r => $"[{r.Low}, {r.High}]"));

        private static IEnumerable<string> DecodePrincipalList(ReadOnlySpan<byte> value) => IcCbor.Decode(value.ToArray(), reader =>
        {
            var list = new List<string>();
            IcCbor.ReadArray(reader, () => list.Add(Principal.TryFromBytes(IcCbor.ReadBlob(reader), out Principal p) ? p.ToString() : "?"));
            return list;
        }, "controllers");

        private static string FormatBytes(ReadOnlySpan<byte> value)
        {
            foreach (byte b in value)
            {
                if ((b < 0x20 && b != '\n' && b != '\t') || b > 0x7E)
                {
                    return "0x" + Convert.ToHexStringLower(value);
                }
            }

            return value.Length == 0 ? "\"\"" : "\"" + Encoding.ASCII.GetString(value).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
        }
    }
}
