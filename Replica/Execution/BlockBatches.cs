using InternetIdentity.Consensus.Messages;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.ThresholdSigning.Hashing;
using ConsensusIngress = InternetIdentity.Consensus.Messages.IngressMessage;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// Turns a finalized block into the <see cref="Batch"/> execution runs. Ingress content is the client's signed
/// envelope; every replica decodes it and checks it again at the block's time (request type, sender, signature,
/// delegations), because a Byzantine block maker can put anything into a block. Messages that fail are left out, the
/// same way on every replica. Randomness derives from the round's random beacon. A subnet started with impersonation
/// allowed (PocketIC's API, test-only) also takes impersonated calls: the unsigned envelope of a call behind
/// <see cref="ImpersonatedPrefix"/>, whose sender is taken as written; every other subnet leaves them out.
/// </summary>
public static class BlockBatches
{
    private static readonly byte[] s_randomnessDomain = "\x13ic-batch-randomness"u8.ToArray();

    /// <summary>
    /// What an impersonated call's ingress content starts with (then the unsigned envelope). No signed envelope starts
    /// so: CBOR byte 0x10 is an integer, never an envelope's tag or map.
    /// </summary>
    public static ReadOnlySpan<byte> ImpersonatedPrefix => "\x10ic-impersonated"u8;

    /// <summary>
    /// The batch of a finalized block; <paramref name="rootKeyDer"/> verifies canister signatures in delegations, and
    /// signatures the replica found valid before (<paramref name="signatures"/>) are not checked again.
    /// </summary>
    public static Batch From(BlockProposal proposal, byte[] randomBeacon, ReadOnlyMemory<byte> rootKeyDer, ISignatureCache? signatures = null,
        bool impersonationAllowed = false)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(randomBeacon);
        Block block = proposal.Block;
        if (block.Height < 1 || block.TimeMs < 0 || block.TimeNanos < 0)
        {
            throw new ArgumentException($"block at height {block.Height} with time {block.TimeMs} ms cannot be executed", nameof(proposal));
        }

        ulong timeNanos = (ulong)block.TimeNanos;
        var messages = new List<IngressMessage>(block.Payload.Length);
        foreach (ConsensusIngress ingress in block.Payload)
        {
            if (TryDecode(ingress.Content, timeNanos, rootKeyDer, out IngressMessage? message, signatures, impersonationAllowed))
            {
                messages.Add(message);
            }
        }

        return new Batch((ulong)block.Height, timeNanos, Randomness(randomBeacon), messages);
    }

    /// <summary>The batch randomness: SHA-256 of a domain separator and the random beacon.</summary>
    public static byte[] Randomness(ReadOnlySpan<byte> randomBeacon) => Sha256.HashData([.. s_randomnessDomain, .. randomBeacon]);

    /// <summary>The consensus form of a client's call: its envelope bytes, with the expiry in milliseconds (rounded down).</summary>
    public static ConsensusIngress ToIngress(byte[] envelope, ulong ingressExpiryNanos)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return new ConsensusIngress(envelope, (long)Math.Min(ingressExpiryNanos / 1_000_000, long.MaxValue));
    }

    /// <summary>
    /// The consensus form of an impersonated call (PocketIC's API): <see cref="ImpersonatedPrefix"/> and the content's
    /// unsigned envelope, with the expiry in milliseconds (rounded down). Only a subnet started with impersonation allowed
    /// executes it.
    /// </summary>
    public static ConsensusIngress ToImpersonatedIngress(RequestContent call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.RequestType != RequestType.Call || call.CanisterId is null || call.MethodName is null || call.Arg is null)
        {
            throw new ArgumentException("an impersonated call needs a call's request type, canister, method and argument", nameof(call));
        }

        return ToIngress([.. ImpersonatedPrefix, .. new Envelope(call).Encode()], call.IngressExpiry);
    }

    /// <summary>
    /// Decodes and authenticates an envelope at the block time; false for anything that is not a valid call. Signatures
    /// in <paramref name="signatures"/> count as valid; valid ones found here are added to it. An impersonated call is
    /// valid only when <paramref name="impersonationAllowed"/>.
    /// </summary>
    public static bool TryDecode(byte[] envelope, ulong blockTimeNanos, ReadOnlyMemory<byte> rootKeyDer,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IngressMessage? message, ISignatureCache? signatures = null,
        bool impersonationAllowed = false)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        message = null;
        bool impersonated = envelope.AsSpan().StartsWith(ImpersonatedPrefix);
        if (impersonated && !impersonationAllowed)
        {
            return false;
        }

        Envelope decoded;
        try
        {
            decoded = Envelope.Decode(impersonated ? envelope.AsMemory(ImpersonatedPrefix.Length) : envelope);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false; // not CBOR of an envelope: a faulty block maker's invention
        }

        RequestContent c = decoded.Content;
        if (c.RequestType != RequestType.Call || c.CanisterId is null || c.MethodName is null || c.Arg is null)
        {
            return false;
        }

        RequestId id = c.ComputeRequestId();
        if (impersonated)
        {
            message = new IngressMessage(id, c.Sender, c.CanisterId, c.MethodName, c.Arg, c.IngressExpiry, Impersonated: true);
            return true; // the sender as written: no signature to check
        }

        VerificationResult auth = EnvelopeVerifier.Verify(decoded, blockTimeNanos, rootKeyDer, c.CanisterId, id, signatures);
        if (!auth.IsValid)
        {
            return false;
        }

        message = new IngressMessage(id, c.Sender, c.CanisterId, c.MethodName, c.Arg, c.IngressExpiry);
        return true;
    }
}
