namespace InternetIdentity.Protocol.Signatures;

/// <summary>
/// Signatures a verifier already found valid: a signature's validity does not depend on time, so a replica that checked
/// a request's signatures when the request reached it (from a client or from a peer) need not check them again when it
/// executes the request. One cache serves one IC root key (canister signatures are verified under it).
/// </summary>
public interface ISignatureCache
{
    /// <summary>Whether this (key, message, signature) was found valid before.</summary>
    bool Contains(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    /// <summary>Records a (key, message, signature) found valid.</summary>
    void Add(ReadOnlySpan<byte> derPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);
}
