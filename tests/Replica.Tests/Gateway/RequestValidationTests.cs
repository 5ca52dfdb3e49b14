using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Gateway;

namespace InternetIdentity.Replica.Tests.Gateway;

/// <summary>A remembered signature (the gateway's query cache) never stands in for the checks that depend on time.</summary>
public class RequestValidationTests
{
    private const ulong Second = 1_000_000_000;
    private const ulong Now = 1_800_000_000 * Second;
    private readonly TestIdentity _alice = new(1);
    private readonly TestIdentity _session = new(2);

    private Envelope Query(ulong expiry, IReadOnlyList<SignedDelegation>? chain = null) =>
        Envelope.Decode(_alice.Envelope(RequestContent.Call(RequestType.Query, _alice.Principal, WhoamiCanister.Id, "whoami", CandidEncoder.Encode([], []), expiry),
            chain, chain is null ? null : _session));

    [Test]
    public void CheckAuthentication_RememberedSignatureAfterExpiry_InvalidExpiry()
    {
        var cache = new SignatureCache(16);
        Envelope envelope = Query(Now + 60 * Second);
        Assert.That(RequestValidation.CheckAuthentication(envelope, Now, ReadOnlyMemory<byte>.Empty, WhoamiCanister.Id, signatures: cache), Is.Null);
        Assert.That(cache.Count, Is.EqualTo(1));
        GatewayError? late = RequestValidation.CheckAuthentication(envelope, Now + 120 * Second, ReadOnlyMemory<byte>.Empty, WhoamiCanister.Id, signatures: cache);
        Assert.That(late?.Message, Does.Contain("Invalid request expiry"));
    }

    [Test]
    public void CheckAuthentication_RememberedDelegationAfterItsExpiration_DelegationExpired()
    {
        var cache = new SignatureCache(16);
        Envelope envelope = Query(Now + 60 * Second, [_alice.Delegate(_session, Now + 30 * Second)]);
        Assert.That(RequestValidation.CheckAuthentication(envelope, Now, ReadOnlyMemory<byte>.Empty, WhoamiCanister.Id, signatures: cache), Is.Null);
        Assert.That(cache.Count, Is.EqualTo(2), "the delegation's and the request's signatures");
        GatewayError? late = RequestValidation.CheckAuthentication(envelope, Now + 45 * Second, ReadOnlyMemory<byte>.Empty, WhoamiCanister.Id, signatures: cache);
        Assert.That(late?.Message, Does.Contain("delegation 0 expired"));
    }
}
