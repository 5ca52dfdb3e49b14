using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InternetIdentity.PocketIc;

/// <summary>
/// PocketIC's blob store: <c>POST /blobstore</c> keeps a body (gzip-compressed when sent with <c>Content-Encoding: gzip</c>)
/// and answers its id, the hex SHA-256 of the bytes as sent; <c>GET /blobstore/{id}</c> gives them back.
/// </summary>
public sealed class BlobStore
{
    private readonly ConcurrentDictionary<string, (byte[] Data, bool Gzip)> _blobs = new(StringComparer.Ordinal);

    /// <summary>Keeps a blob and returns its id.</summary>
    public string Add(byte[] data, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(data);
        string id = Convert.ToHexStringLower(SHA256.HashData(data));
        _blobs[id] = (data, gzip);
        return id;
    }

    /// <summary>A blob by id, or false.</summary>
    public bool TryGet(string id, out byte[] data, out bool gzip)
    {
        bool found = _blobs.TryGetValue(id, out (byte[] Data, bool Gzip) blob);
        (data, gzip) = found ? blob : ([], false);
        return found;
    }

    /// <summary>The bytes a gzip blob holds; throws <see cref="PocketIcException"/> when they are not gzip.</summary>
    public static byte[] Gunzip(byte[] gzip)
    {
        ArgumentNullException.ThrowIfNull(gzip);
        try
        {
            using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw PocketIcException.BadRequest($"failed to decompress data: the blob was stored as gzip but is not ({e.Message})");
        }
    }

    /// <summary>Maps the blob store's routes onto <paramref name="app"/>.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/blobstore", async (HttpContext c, CancellationToken ct) =>
        {
            string? encoding = c.Request.Headers.ContentEncoding;
            if (encoding is not (null or "" or "gzip"))
            {
                throw PocketIcException.BadRequest($"Bad encoding: {encoding} (only gzip is accepted)");
            }

            using var body = new MemoryStream();
            await c.Request.Body.CopyToAsync(body, c.RequestAborted).ConfigureAwait(false);
            return Results.Text(Add(body.ToArray(), encoding == "gzip"), "text/plain");
        }).WithSummary("keeps a blob; answers its id (hex)");
        app.MapGet("/blobstore/{id}", (HttpContext c, string id) =>
        {
            if (!TryGet(id, out byte[] data, out bool gzip))
            {
                return Results.Text($"blob {id} not found", "text/plain", statusCode: 404);
            }

            if (gzip)
            {
                c.Response.Headers.ContentEncoding = "gzip";
            }

            return Results.Bytes(data, "application/octet-stream");
        }).WithSummary("a blob by id");
    }
}
