using System.Text;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Tests.Gateway;

/// <summary>
/// A canister with certified pages and the ways a canister's HTTP answer can go wrong: <c>/upgrade</c> asks for an
/// update call, <c>/big.bin</c> is certified whole and streamed in chunks, <c>/tampered</c> and <c>/uncertified</c>
/// serve what a verifying gateway must refuse.
/// </summary>
internal sealed class HttpTestCanister : ICanister
{
    public static Principal Id { get; } = Principal.CanisterId(2);

    public const int ChunkSize = 1000;

    public static readonly byte[] BigBody = [.. Enumerable.Range(0, 3 * ChunkSize + 17).Select(i => (byte)(i * 7))];

    private static readonly CandidType s_tokenType = CandidType.Record(("index", CandidType.Nat64));

    private static readonly CertifiedAssets s_assets = new(
    [
        new HttpAsset("/index.html", "<!doctype html><title>test</title><script src=\"/app.js\"></script>"u8.ToArray(), "text/html"),
        new HttpAsset("/app.js", "console.log('app')"u8.ToArray(), "text/javascript"),
        new HttpAsset("/big.bin", BigBody, "application/octet-stream"),
    ]);

    private static readonly ExportedMethods s_exports = new(["http_request_update"], ["http_request", "http_streaming"]);

    /// <summary>How many http_request_update calls ran (replicated state).</summary>
    public int Updates { get; private set; }

    public ReadOnlyMemory<byte> CertifiedData => s_assets.RootHash;

    public ReadOnlyMemory<byte> ModuleHash { get; } = new byte[32];

    public IReadOnlyDictionary<string, CanisterMetadata> Metadata { get; } = new Dictionary<string, CanisterMetadata>();

    public ExportedMethods Exports => s_exports;

    public CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument)
    {
        if (method != "http_request_update")
        {
            return CanisterReply.NoSuchMethod(method, query: false, Id);
        }

        HttpUpdateRequest request = CanisterHttpInterface.DecodeUpdateRequest(argument);
        Updates++;
        return Reply(new HttpResponse(200, [new("Content-Type", "text/plain")],
            Encoding.UTF8.GetBytes($"updated {Updates}: {request.Method} {request.Url} by {Principal.FromBytes(context.Caller.Span)}")));
    }

    public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument)
    {
        if (method == "http_streaming")
        {
            var token = (CandidRecord)CandidDecoder.Decode(argument, [s_tokenType])[0];
            int index = (int)((CandidFixedNat)token["index"]).Value;
            int start = index * ChunkSize;
            int end = Math.Min(start + ChunkSize, BigBody.Length);
            CandidValue? next = end < BigBody.Length ? Token(index + 1) : null;
            return CanisterReply.Reply(CanisterHttpInterface.EncodeStreamingCallbackResponse(
                new StreamingCallbackHttpResponse(BigBody.AsMemory(start, end - start), next), s_tokenType));
        }

        if (method != "http_request")
        {
            return CanisterReply.NoSuchMethod(method, query: true, Id);
        }

        HttpRequest request = CanisterHttpInterface.DecodeRequest(argument);
        HttpResponse served = s_assets.Serve(request.Url, request.CertificateVersion, context.Certificate, CertifiedTreeLayout.Assets);
        return request.Url switch
        {
            "/upgrade" => Reply(new HttpResponse(200, [], "query"u8.ToArray(), Upgrade: true)),
            "/uncertified" => Reply(new HttpResponse(200, [new("Content-Type", "text/html")], "<p>no certificate</p>"u8.ToArray())),
            "/tampered" => Reply(s_assets.Serve("/index.html", request.CertificateVersion, context.Certificate, CertifiedTreeLayout.Assets)
                with { Body = "<p>not what was certified</p>"u8.ToArray() }),
            "/echo-headers" => Reply(new HttpResponse(200, [], Encoding.UTF8.GetBytes(string.Join("\n",
                request.Headers.Select(h => $"{h.Name.ToLowerInvariant()}: {h.Value}").Prepend($"certificate_version: {request.CertificateVersion}"))))),
            "/big.bin" => Reply(served with
            {
                Body = BigBody.AsMemory(0, ChunkSize),
                StreamingStrategy = new HttpStreamingStrategy(Id, "http_streaming", s_tokenType, Token(1)),
            }),
            _ => Reply(served),
        };
    }

    private static CandidValue Token(int index) => CandidValue.Record(("index", CandidValue.Nat64((ulong)index)));

    private static CanisterReply Reply(HttpResponse response) => CanisterReply.Reply(CanisterHttpInterface.EncodeResponse(response));
}
