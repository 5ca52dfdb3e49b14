using System.IO.Compression;

namespace InternetIdentity.Protocol.HttpCertification;

/// <summary>
/// Decodes a response body per its <c>Content-Encoding</c> for v1 verification, which certifies the decoded body:
/// <c>gzip</c> and <c>deflate</c> (raw DEFLATE, as the verifiers read it); any other encoding leaves the body as is.
/// </summary>
public static class ContentDecoding
{
    /// <summary>The most a body may grow to when decoded (a guard against compression bombs).</summary>
    public const int MaxDecodedLength = 64 * 1024 * 1024;

    /// <summary>The decoded body, or false with the decoder's complaint.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> body, string? contentEncoding, out byte[] decoded, out string? error)
    {
        error = null;
        decoded = [];
        try
        {
            using var input = new MemoryStream(body.ToArray(), writable: false);
            using Stream? decoder = contentEncoding switch
            {
                "gzip" => new GZipStream(input, CompressionMode.Decompress),
                "deflate" => new DeflateStream(input, CompressionMode.Decompress),
                _ => null,
            };
            if (decoder is null)
            {
                decoded = body.ToArray();
                return true;
            }

            using var output = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = decoder.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + n > MaxDecodedLength)
                {
                    error = $"IO error: the {contentEncoding} body decodes to more than {MaxDecodedLength} bytes";
                    return false;
                }

                output.Write(buffer, 0, n);
            }

            decoded = output.ToArray();
            return true;
        }
        catch (InvalidDataException e)
        {
            error = $"IO error: the body is not valid {contentEncoding}: {e.Message}";
            return false;
        }
    }
}
