using System.Diagnostics.CodeAnalysis;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Wire;
using NSec.Cryptography;

namespace InternetIdentity.Replica.Cluster;

/// <summary>Why <see cref="FrameGate"/> let a frame in or dropped it.</summary>
public enum FrameVerdict
{
    /// <summary>Signed by its sender for this replica, fresh, and its payload is that sender's well-formed message.</summary>
    Accepted,

    /// <summary>The sender is no other replica of the subnet.</summary>
    UnknownSender,

    /// <summary>The frame is for another replica.</summary>
    Misaddressed,

    /// <summary>The sender's frame with this epoch and counter was delivered already, or is too old.</summary>
    Replayed,

    /// <summary>The signature is not the sender's node key's over this subnet, receiver, counter and payload.</summary>
    BadSignature,

    /// <summary>The payload does not decode.</summary>
    Malformed,

    /// <summary>The payload claims another sender than the frame's signer.</summary>
    SenderMismatch,

    /// <summary>A peer message that came without a frame.</summary>
    Unsigned,

    /// <summary>The frame came over another replica's connection than its sender's (a relayed copy).</summary>
    WrongConnection,
}

/// <summary>
/// Lets in the peer frames of one replica: sender, receiver and replay window are checked first, then the signature
/// against the sender's node key from genesis, and only then is the payload decoded, whose claimed sender must be the
/// signer. Every drop is counted by reason. One per replica, shared by its actors; thread-safe.
/// </summary>
public sealed class FrameGate
{
    private readonly PublicKey?[] _keys;
    private readonly byte[] _subnetId;
    private readonly ReplayWindow[] _windows;
    private readonly long[] _counts = new long[Enum.GetValues<FrameVerdict>().Length];
    private readonly Action<FrameVerdict>? _dropped;
    private readonly byte[][] _keysDer;
    private readonly ISignatureCache? _signatures;

    /// <summary>
    /// The gate of replica <paramref name="index"/> of subnet <paramref name="subnetId"/>, whose peers' DER node keys are
    /// <paramref name="nodeKeysDer"/> by index; <paramref name="dropped"/> hears of every dropped frame (metrics).
    /// <paramref name="signatures"/>, when the replicas of one process share it, holds the frames they signed
    /// (<see cref="FrameSigner"/>) and lets a broadcast frame's signature be verified once for all of them (it holds only
    /// valid signatures).
    /// </summary>
    public FrameGate(IReadOnlyList<byte[]> nodeKeysDer, ReadOnlySpan<byte> subnetId, int index, Action<FrameVerdict>? dropped = null,
        ISignatureCache? signatures = null)
    {
        ArgumentNullException.ThrowIfNull(nodeKeysDer);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, nodeKeysDer.Count);
        _keys = [.. nodeKeysDer.Select((der, i) => i == index ? null
            : PublicKey.Import(SignatureAlgorithm.Ed25519, DerPublicKey.Parse(der).Key, KeyBlobFormat.RawPublicKey))];
        _keysDer = [.. nodeKeysDer];
        _signatures = signatures;
        _subnetId = subnetId.ToArray();
        _windows = [.. nodeKeysDer.Select(_ => new ReplayWindow())];
        Index = index;
        _dropped = dropped;
    }

    /// <summary>This replica's index.</summary>
    public int Index { get; }

    /// <summary>How many frames got <paramref name="verdict"/> so far.</summary>
    public long Count(FrameVerdict verdict) => Interlocked.Read(ref _counts[(int)verdict]);

    /// <summary>The gate of <paramref name="config"/>'s replica, with the subnet's node keys.</summary>
    public static FrameGate For(GenesisConfig config, Action<FrameVerdict>? dropped = null, ISignatureCache? signatures = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new FrameGate([.. config.Nodes.Select(n => n.PublicKeyDer)], config.SubnetId.Bytes, config.NodeIndex, dropped, signatures);
    }

    /// <summary>Checks a frame and decodes its payload; anything but <see cref="FrameVerdict.Accepted"/> leaves <paramref name="message"/> null.</summary>
    public FrameVerdict Open(SignedFrame frame, [NotNullWhen(true)] out IReplicaMessage? message)
    {
        ArgumentNullException.ThrowIfNull(frame);
        message = null;
        FrameVerdict verdict = Check(frame, out IReplicaMessage? decoded);
        Interlocked.Increment(ref _counts[(int)verdict]);
        if (verdict != FrameVerdict.Accepted)
        {
            _dropped?.Invoke(verdict);
            return verdict;
        }

        message = decoded!;
        return verdict;
    }

    /// <summary>Counts a frame or message its receiver drops for <paramref name="verdict"/> before opening it (no frame, wrong connection).</summary>
    public void Refused(FrameVerdict verdict)
    {
        if (verdict == FrameVerdict.Accepted)
        {
            throw new ArgumentException("a refused frame is not accepted", nameof(verdict));
        }

        Interlocked.Increment(ref _counts[(int)verdict]);
        _dropped?.Invoke(verdict);
    }

    // With a shared cache, a frame signed in this process was entered there by its signer (FrameSigner), and a broadcast
    // frame from another process, which reaches every peer here with one signature, by the first of them to check it.
    private bool SignatureValid(PublicKey key, SignedFrame frame, byte[] signed)
    {
        if (_signatures is null)
        {
            return SignatureAlgorithm.Ed25519.Verify(key, signed, frame.Signature);
        }

        byte[] der = _keysDer[frame.Sender];
        if (_signatures.Contains(der, signed, frame.Signature))
        {
            return true;
        }

        if (!SignatureAlgorithm.Ed25519.Verify(key, signed, frame.Signature))
        {
            return false;
        }

        if (frame.Receiver == SignedFrame.Broadcast)
        {
            _signatures.Add(der, signed, frame.Signature);
        }

        return true;
    }

    private FrameVerdict Check(SignedFrame frame, out IReplicaMessage? message)
    {
        message = null;
        if ((uint)frame.Sender >= (uint)_keys.Length || _keys[frame.Sender] is not { } key)
        {
            return FrameVerdict.UnknownSender;
        }

        if (frame.Receiver != Index && frame.Receiver != SignedFrame.Broadcast)
        {
            return FrameVerdict.Misaddressed;
        }

        ReplayWindow window = _windows[frame.Sender];
        lock (window)
        {
            if (!window.IsFresh(frame.Epoch, frame.Counter))
            {
                return FrameVerdict.Replayed; // before the signature: a replay costs no verification
            }
        }

        byte[] signed = SignedFrame.SignedBytes(_subnetId, frame.Sender, frame.Receiver, frame.Epoch, frame.Counter, frame.Payload);
        if (frame.Signature.Length != 64 || !SignatureValid(key, frame, signed))
        {
            return FrameVerdict.BadSignature;
        }

        lock (window)
        {
            if (!window.Accept(frame.Epoch, frame.Counter))
            {
                return FrameVerdict.Replayed; // a copy won the race between the two checks
            }
        }

        if (!WireCodec.TryDecodeFramePayload(frame.Payload, out IReplicaMessage? decoded))
        {
            return FrameVerdict.Malformed;
        }

        int claimed = decoded switch
        {
            PeerMessage m => m.From,
            CheckpointRequest r => r.From,
            CheckpointChunk c => c.From,
            _ => -1,
        };
        if (claimed != frame.Sender)
        {
            return FrameVerdict.SenderMismatch;
        }

        message = decoded;
        return FrameVerdict.Accepted;
    }
}
