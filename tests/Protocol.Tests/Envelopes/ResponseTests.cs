using System.Text.Json;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Protocol.Tests.Support;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.Protocol.Tests.Envelopes;

public class ResponseTests
{
    private static readonly JsonElement s_ed = IcVectors.Json("self_derived_ed25519.json");

    [Test]
    public void QueryResponse_RepliedWithNodeSignature_RoundTripsAndVerifies()
    {
        JsonElement v = s_ed.GetProperty("query_response_replied");
        var rid = new RequestId(s_ed.Hex("request_id"));
        ulong ts = ulong.Parse(v.Str("timestamp"));
        Principal node = Principal.SelfAuthenticating(s_ed.Hex("ed25519_public_der"));
        QueryResponse response = QueryResponse.Reply(v.Hex("reply_arg_hex"), [new NodeSignature(ts, v.Hex("signature"), node)]);
        QueryResponse decoded = QueryResponse.Decode(response.Encode());
        Assert.That(decoded.Replied, Is.True);
        Assert.That(decoded.Arg, Is.EqualTo(v.Hex("reply_arg_hex")));
        NodeSignature sig = decoded.Signatures.Single();
        Assert.That(sig.Identity, Is.EqualTo(node));
        Assert.That(SignatureVerifier.Verify(s_ed.Hex("ed25519_public_der"), decoded.SignedMessage(sig.TimestampNanos, rid), sig.Signature).IsValid, Is.True);
        Assert.That(SignatureVerifier.Verify(s_ed.Hex("ed25519_public_der"), decoded.SignedMessage(sig.TimestampNanos + 1, rid), sig.Signature).IsValid, Is.False);
    }

    [Test]
    public void QueryResponse_Rejected_RoundTripsAndHashesAsVector()
    {
        JsonElement v = s_ed.GetProperty("query_response_rejected");
        var rid = new RequestId(s_ed.Hex("request_id"));
        QueryResponse decoded = QueryResponse.Decode(QueryResponse.Reject(RejectCode.CanisterReject, "no", "IC0406").Encode());
        Assert.That((decoded.Replied, decoded.RejectCode, decoded.RejectMessage, decoded.ErrorCode), Is.EqualTo((false, RejectCode.CanisterReject, "no", "IC0406")));
        Assert.That(Convert.ToHexStringLower(decoded.SignatureHash(ulong.Parse(v.Str("timestamp")), rid)), Is.EqualTo(v.Str("hash_of_map")));
        Assert.Throws<CborFormatException>(() => QueryResponse.Decode(Convert.FromHexString("a166737461747573646f6f7073")));
    }

    [Test]
    public void CallResponse_CertifiedAndRejection_RoundTrip()
    {
        CallResponse certified = CallResponse.Decode(CallResponse.Certified([1, 2, 3]).Encode());
        Assert.That(certified.Certificate, Is.EqualTo(new byte[] { 1, 2, 3 }));
        CallResponse v3 = CallResponse.Decode(CallResponse.Rejection(RejectCode.DestinationInvalid, "no such canister", "IC0301").Encode());
        Assert.That((v3.IsCertified, v3.RejectCode, v3.RejectMessage, v3.ErrorCode), Is.EqualTo((false, RejectCode.DestinationInvalid, "no such canister", "IC0301")));
        CallResponse v2 = CallResponse.Decode(CallResponse.Rejection(RejectCode.CanisterError, "trapped").Encode(withStatus: false));
        Assert.That((v2.RejectCode, v2.ErrorCode), Is.EqualTo((RejectCode.CanisterError, (string?)null)));
        Assert.Throws<CborFormatException>(() => CallResponse.Decode(Convert.FromHexString("a166737461747573677265706c696564")));
    }

    [Test]
    public void StatusResponse_RoundTrip_UnknownFieldsSkipped()
    {
        var status = new StatusResponse(IcVectors.MainnetRootKeyDer, "0.1", "healthy", 42);
        Assert.That(StatusResponse.Decode(status.Encode()), Is.EqualTo(status).Using<StatusResponse>((a, b) =>
            a.RootKey!.AsSpan().SequenceEqual(b.RootKey) && a.ImplVersion == b.ImplVersion && a.ReplicaHealthStatus == b.ReplicaHealthStatus && a.CertifiedHeight == b.CertifiedHeight));
        // {root_key: h'00', extra: [1]}
        StatusResponse withExtra = StatusResponse.Decode(Convert.FromHexString("a268726f6f745f6b6579410065657874726181" + "01"));
        Assert.That(withExtra.RootKey, Is.EqualTo(new byte[] { 0 }));
    }
}
