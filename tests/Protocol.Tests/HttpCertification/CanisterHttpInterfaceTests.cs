using System.Text;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.Principals;
using T = InternetIdentity.Protocol.Candid.CandidType;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.Protocol.Tests.HttpCertification;

public class CanisterHttpInterfaceTests
{
    private static readonly Principal s_canister = Principal.Parse("rdmx6-jaaaa-aaaaa-aaadq-cai");

    [Test]
    public void EncodeRequest_DecodeRequest_RoundTrips()
    {
        var request = new HttpRequest("POST", "/a/b?c=d", [new("Accept", "*/*"), new("Accept", "text/html")], new byte[] { 1, 2, 3 }, 2);
        HttpRequest back = CanisterHttpInterface.DecodeRequest(CanisterHttpInterface.EncodeRequest(request));
        Assert.Multiple(() =>
        {
            Assert.That(back.Method, Is.EqualTo("POST"));
            Assert.That(back.Url, Is.EqualTo("/a/b?c=d"));
            Assert.That(back.Headers, Is.EqualTo(request.Headers));
            Assert.That(back.Body.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(back.CertificateVersion, Is.EqualTo((ushort)2));
        });
    }

    [Test]
    public void DecodeRequest_UpdateRequestWithoutCertificateVersion_ReadsNull()
    {
        byte[] update = CanisterHttpInterface.EncodeUpdateRequest(new HttpUpdateRequest("GET", "/", [], ReadOnlyMemory<byte>.Empty));
        Assert.That(CanisterHttpInterface.DecodeRequest(update).CertificateVersion, Is.Null);
        Assert.That(CanisterHttpInterface.DecodeUpdateRequest(update).Url, Is.EqualTo("/"));
    }

    [Test]
    public void DecodeResponse_MinimalInterface_UpgradeAndStrategyAreNull()
    {
        // The minimum a canister may declare: no upgrade, no streaming_strategy.
        T minimal = T.Record(("status_code", T.Nat16), ("headers", T.Vec(T.Tuple(T.Text, T.Text))), ("body", T.Blob));
        byte[] bytes = CandidEncoder.Encode(minimal, V.Record(
            ("status_code", V.Nat16(404)), ("headers", V.Vec(V.Tuple(V.Text("Content-Type"), V.Text("text/plain")))), ("body", V.Blob("gone"u8))));
        HttpResponse r = CanisterHttpInterface.DecodeResponse(bytes);
        Assert.Multiple(() =>
        {
            Assert.That(r.StatusCode, Is.EqualTo((ushort)404));
            Assert.That(r.Headers, Is.EqualTo(new[] { new HttpHeaderField("Content-Type", "text/plain") }));
            Assert.That(Encoding.UTF8.GetString(r.Body.Span), Is.EqualTo("gone"));
            Assert.That(r.Upgrade, Is.Null);
            Assert.That(r.StreamingStrategy, Is.Null);
        });
    }

    [Test]
    public void EncodeResponse_DecodeResponse_UpgradeRoundTrips()
    {
        var response = new HttpResponse(301, [new("location", "https://example.org")], ReadOnlyMemory<byte>.Empty, Upgrade: true);
        HttpResponse back = CanisterHttpInterface.DecodeResponse(CanisterHttpInterface.EncodeResponse(response));
        Assert.That((back.StatusCode, back.Upgrade, back.Headers.Single().Value), Is.EqualTo(((ushort)301, (bool?)true, "https://example.org")));
    }

    [Test]
    public void DecodeResponse_CanisterDeclaredTokenType_KeepsTypeAndValueForTheCallback()
    {
        // An assets canister's token: record { key: text; content_encoding: text; index: nat; sha256: opt blob }.
        T token = T.Record(("key", T.Text), ("content_encoding", T.Text), ("index", T.Nat), ("sha256", T.Opt(T.Blob)));
        V tokenValue = V.Record(("key", V.Text("/big.bin")), ("content_encoding", V.Text("identity")), ("index", V.Nat(1)), ("sha256", V.None));
        var strategy = new HttpStreamingStrategy(s_canister, "http_request_streaming_callback", token, tokenValue);
        var response = new HttpResponse(200, [], new byte[] { 9 }, null, strategy);

        HttpResponse back = CanisterHttpInterface.DecodeResponse(CanisterHttpInterface.EncodeResponse(response));
        HttpStreamingStrategy s = back.StreamingStrategy!;
        Assert.Multiple(() =>
        {
            Assert.That(s.CallbackCanister, Is.EqualTo(s_canister));
            Assert.That(s.CallbackMethod, Is.EqualTo("http_request_streaming_callback"));
            Assert.That(s.Token, Is.EqualTo(tokenValue));
            Assert.That(CanisterHttpInterface.EncodeStreamingCallbackArgument(s), Is.EqualTo(CandidEncoder.Encode(token, tokenValue)));
        });
    }

    [Test]
    public void DecodeResponse_IiTokenType_RecordIsKept()
    {
        var strategy = new HttpStreamingStrategy(s_canister, "cb", CanisterHttpInterface.DefaultTokenType, V.Record());
        HttpResponse back = CanisterHttpInterface.DecodeResponse(CanisterHttpInterface.EncodeResponse(new HttpResponse(200, [], ReadOnlyMemory<byte>.Empty, null, strategy)));
        Assert.That(back.StreamingStrategy!.Token, Is.EqualTo(V.Record()));
    }

    [Test]
    public void DecodeStreamingCallbackResponse_RecordOrOptRecord_BothRead()
    {
        T token = T.Nat;
        byte[] plain = CanisterHttpInterface.EncodeStreamingCallbackResponse(new StreamingCallbackHttpResponse(new byte[] { 1 }, V.Nat(2)), token);
        byte[] optional = CandidEncoder.Encode(T.Opt(CanisterHttpInterface.StreamingCallbackHttpResponseType(token)),
            V.Some(V.Record(("body", V.Blob([7])), ("token", V.None))));
        byte[] none = CandidEncoder.Encode(T.Opt(CanisterHttpInterface.StreamingCallbackHttpResponseType(token)), V.None);
        StreamingCallbackHttpResponse first = CanisterHttpInterface.DecodeStreamingCallbackResponse(plain, token)!;
        StreamingCallbackHttpResponse last = CanisterHttpInterface.DecodeStreamingCallbackResponse(optional, token)!;
        Assert.Multiple(() =>
        {
            Assert.That((first.Body.ToArray(), first.Token), Is.EqualTo((new byte[] { 1 }, (V)V.Nat(2))));
            Assert.That((last.Body.ToArray(), last.Token), Is.EqualTo((new byte[] { 7 }, (V?)null)));
            Assert.That(CanisterHttpInterface.DecodeStreamingCallbackResponse(none, token), Is.Null);
        });
    }

    [Test]
    public void DecodeResponse_MalformedBytes_ThrowsCandidFormatException()
    {
        byte[] good = CanisterHttpInterface.EncodeResponse(new HttpResponse(200, [], new byte[] { 1, 2 }));
        Assert.Throws<CandidFormatException>(() => CanisterHttpInterface.DecodeResponse(good.AsSpan(0, good.Length - 1)));
        Assert.Throws<CandidFormatException>(() => CanisterHttpInterface.DecodeResponse("DIDL\0\x01\x71\x01a"u8));
        Assert.Throws<CandidFormatException>(() => CanisterHttpInterface.DecodeResponse(CandidEncoder.Encode(T.Text, V.Text("200 OK"))));
    }

    [Test]
    public void HttpResponseType_MatchesInternetIdentityDid()
    {
        Assert.That(CanisterHttpInterface.HttpResponseType.ToString(), Does.Contain("streaming_strategy : opt variant { Callback : record {"));
        Assert.That(CanisterHttpInterface.HttpRequestType.ToString(), Does.Contain("certificate_version : opt nat16"));
    }
}
