using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;

namespace InternetIdentity.Replica.Tests.Gateway;

/// <summary>An Ed25519 sender for tests: builds signed envelopes, optionally through a delegation chain.</summary>
internal sealed class TestIdentity
{
    private readonly byte[] _seed;

    public TestIdentity(byte seed)
    {
        _seed = Enumerable.Repeat(seed, 32).ToArray();
        PublicKeyDer = DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(_seed));
        Principal = Principal.SelfAuthenticating(PublicKeyDer);
    }

    public byte[] PublicKeyDer { get; }

    public Principal Principal { get; }

    public byte[] Sign(byte[] message) => Ed25519Signatures.Sign(_seed, message);

    public SignedDelegation Delegate(TestIdentity to, ulong expiration, IReadOnlyList<Principal>? targets = null)
    {
        var d = new Delegation(to.PublicKeyDer, expiration, targets);
        return new SignedDelegation(d, Sign(d.SignedMessage()));
    }

    /// <summary>An envelope signed by this identity (or by <paramref name="signer"/> at the end of a delegation chain).</summary>
    public byte[] Envelope(RequestContent content, IReadOnlyList<SignedDelegation>? chain = null, TestIdentity? signer = null) =>
        new Envelope(content, PublicKeyDer, (signer ?? this).Sign(content.ComputeRequestId().SignedMessage()), chain).Encode();
}
