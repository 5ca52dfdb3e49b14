using System.Formats.Cbor;
using System.Globalization;
using System.Text;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.HashTrees;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// The <c>IC-Certificate</c> response header: <c>certificate=:&lt;base64 CBOR certificate&gt;:, tree=:&lt;base64 CBOR
/// hash tree&gt;:</c> for version 1, plus <c>, expr_path=:&lt;base64 CBOR array of text&gt;:, version=2</c> for version 2.
/// Parsed as the verifiers do: fields split on <c>,</c> and trimmed, <c>name=value</c> with optional <c>:</c>
/// delimiters, unknown and malformed fields ignored, the first of a repeated field kept, base64 with or without
/// padding, a missing version meaning 1.
/// </summary>
public sealed class IcCertificateHeader
{
    /// <summary>The header's name.</summary>
    public const string Name = "IC-Certificate";

    /// <summary>Creates a header from the certificate's CBOR (as the canister got it), a witness tree, and for v2 the expression path.</summary>
    /// <exception cref="CborFormatException">the certificate bytes are not a certificate.</exception>
    public IcCertificateHeader(ReadOnlyMemory<byte> certificate, HashTree tree, IReadOnlyList<string>? exprPath, int version)
        : this(certificate, Certificates.Certificate.Decode(certificate), tree, exprPath, version)
    {
    }

    private IcCertificateHeader(ReadOnlyMemory<byte> certificateBytes, Certificate certificate, HashTree tree, IReadOnlyList<string>? exprPath, int version)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (version is < 0 or > byte.MaxValue)
        {
            throw new ArgumentException($"version {version} does not fit the header's u8", nameof(version));
        }

        CertificateBytes = certificateBytes;
        Certificate = certificate;
        Tree = tree;
        ExprPath = exprPath;
        Version = version;
    }

    /// <summary>The certificate's CBOR as sent.</summary>
    public ReadOnlyMemory<byte> CertificateBytes { get; }

    /// <summary>The decoded certificate.</summary>
    public Certificate Certificate { get; }

    /// <summary>The witness of the canister's certified data.</summary>
    public HashTree Tree { get; }

    /// <summary>The expression path (v2), e.g. <c>["http_expr", "index.html", "&lt;$&gt;"]</c>; null when absent.</summary>
    public IReadOnlyList<string>? ExprPath { get; }

    /// <summary>The verification version: 1 or 2 (what the header says; 1 when it says nothing).</summary>
    public int Version { get; }

    /// <summary>A version 1 header.</summary>
    public static IcCertificateHeader V1(ReadOnlyMemory<byte> certificate, HashTree tree) => new(certificate, tree, null, 1);

    /// <summary>A version 2 header.</summary>
    public static IcCertificateHeader V2(ReadOnlyMemory<byte> certificate, HashTree tree, IReadOnlyList<string> exprPath) =>
        new(certificate, tree, exprPath ?? throw new ArgumentNullException(nameof(exprPath)), 2);

    /// <summary>The header value; the tree and the expression path are CBOR with the self-describe tag, as II sends them.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append("certificate=:").Append(Convert.ToBase64String(CertificateBytes.Span))
            .Append(":, tree=:").Append(Convert.ToBase64String(Tree.Encode(selfDescribe: true))).Append(':');
        if (ExprPath is not null)
        {
            text.Append(", expr_path=:").Append(Convert.ToBase64String(EncodeExprPath(ExprPath))).Append(':');
        }

        if (Version != 1)
        {
            text.Append(", version=").Append(Version.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Format();

    /// <summary>An expression path as CBOR: tag 55799, then an array of text strings.</summary>
    public static byte[] EncodeExprPath(IReadOnlyList<string> exprPath)
    {
        ArgumentNullException.ThrowIfNull(exprPath);
        CborWriter writer = IcCbor.CreateWriter();
        writer.WriteStartArray(exprPath.Count);
        foreach (string segment in exprPath)
        {
            writer.WriteTextString(segment);
        }

        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Parses a header value; false with the reason when a field is malformed or the certificate or tree is missing.</summary>
    public static bool TryParse(string value, out IcCertificateHeader? header, out string? error)
    {
        (header, _, error) = Parse(value);
        return header is not null;
    }

    /// <summary>The parse with the verifiers' error kinds: the first malformed field fails at once, then missing parts.</summary>
    internal static (IcCertificateHeader? Header, HttpVerificationError Error, string? Reason) Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ReadOnlyMemory<byte>? certificateBytes = null;
        Certificate? certificate = null;
        HashTree? tree = null;
        int? version = null;
        IReadOnlyList<string>? exprPath = null;
        foreach (string rawField in value.Split(','))
        {
            if (!TryField(rawField.Trim(), out string name, out string text))
            {
                continue;
            }

            try
            {
                switch (name)
                {
                    case "certificate" when certificate is null:
                        byte[] bytes = DecodeBase64(text) ?? throw new FormatException("certificate");
                        certificate = Certificates.Certificate.Decode(bytes);
                        certificateBytes = bytes;
                        break;
                    case "tree" when tree is null:
                        tree = HashTree.Decode(DecodeBase64(text) ?? throw new FormatException("tree"));
                        break;
                    case "expr_path" when exprPath is null:
                        exprPath = DecodeExprPath(DecodeBase64(text) ?? throw new FormatException("expr_path"));
                        break;
                    case "version" when version is null:
                        if (!byte.TryParse(text.StartsWith('+') ? text[1..] : text, NumberStyles.None, CultureInfo.InvariantCulture, out byte v))
                        {
                            return (null, HttpVerificationError.ParseIntError, $"Error parsing int: the version field \"{text}\" is not a number from 0 to 255");
                        }

                        version = v;
                        break;
                }
            }
            catch (CborFormatException e)
            {
                return (null, HttpVerificationError.CborDecodingFailed, $"CBOR decoding failed: {e.Message}");
            }
            catch (FormatException e)
            {
                return (null, HttpVerificationError.Base64DecodingError, $"Base64 decoding error: the {e.Message} field of the IC-Certificate header is not base64");
            }
        }

        if (certificate is null)
        {
            return (null, HttpVerificationError.HeaderMissingCertificate, "Certificate not found: the IC-Certificate header has no certificate field");
        }

        if (tree is null)
        {
            return (null, HttpVerificationError.HeaderMissingTree, "Tree not found: the IC-Certificate header has no tree field");
        }

        return (new IcCertificateHeader(certificateBytes!.Value, certificate, tree, exprPath, version ?? 1), default, null);
    }

    // name=value, the value optionally between ':' delimiters and holding no ':' itself; both parts non-empty.
    private static bool TryField(string field, out string name, out string text)
    {
        name = text = "";
        int equals = field.IndexOf('=');
        if (equals < 0)
        {
            return false;
        }

        name = field[..equals];
        string rest = field[(equals + 1)..];
        if (rest.StartsWith(':'))
        {
            rest = rest[1..];
        }

        int colon = rest.IndexOf(':');
        if (colon >= 0)
        {
            if (colon != rest.Length - 1)
            {
                return false;
            }

            rest = rest[..colon];
        }

        text = rest;
        return name.Length > 0 && text.Length > 0;
    }

    // Standard alphabet; padding optional but never more than canonical; stray low bits allowed.
    private static byte[]? DecodeBase64(string text)
    {
        int padding = text.Length - text.TrimEnd('=').Length;
        string body = text[..^padding];
        if (body.Length % 4 == 1 || padding > 2 || (padding > 0 && (body.Length + padding) % 4 != 0)
            || body.AsSpan().ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))
        {
            return null;
        }

        var bytes = new byte[body.Length * 3 / 4];
        int acc = 0, bits = 0, n = 0;
        foreach (char c in body)
        {
            int sextet = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= 'a' and <= 'z' => c - 'a' + 26,
                >= '0' and <= '9' => c - '0' + 52,
                '+' => 62,
                _ => 63,
            };
            acc = (acc << 6) | sextet;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[n++] = (byte)(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }

        return bytes;
    }

    // An array of text (or byte) strings, tag 55799 optional.
    private static string[] DecodeExprPath(byte[] cbor) => IcCbor.Decode(cbor, reader =>
    {
        var segments = new List<string>();
        IcCbor.ReadArray(reader, () => segments.Add(reader.PeekState() is CborReaderState.ByteString or CborReaderState.StartIndefiniteLengthByteString
            ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(reader.ReadByteString())
            : IcCbor.ReadText(reader)));
        return segments.ToArray();
    }, "expr_path");
}
