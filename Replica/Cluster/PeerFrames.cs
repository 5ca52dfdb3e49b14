using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Replica.Genesis;

namespace InternetIdentity.Replica.Cluster;

/// <summary>One replica's side of peer authentication: the signer of what it sends and the gate of what it receives.</summary>
/// <param name="Signer">Seals this replica's outgoing peer messages.</param>
/// <param name="Gate">Checks its peers' frames.</param>
public sealed record PeerFrames(FrameSigner Signer, FrameGate Gate)
{
    /// <summary>
    /// The frames of <paramref name="config"/>'s replica in epoch <paramref name="epoch"/> (the process start, in Unix
    /// milliseconds, so a restarted replica's frames are newer than its earlier ones); drops reported to <paramref name="dropped"/>;
    /// <paramref name="signatures"/> shares the frames signed and the broadcast frames verified with the other replicas of the
    /// process (see <see cref="FrameSigner"/> and <see cref="FrameGate"/>).
    /// </summary>
    public static PeerFrames For(GenesisConfig config, long epoch, Action<FrameVerdict>? dropped = null, ISignatureCache? signatures = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PeerFrames(new FrameSigner(config.NodeKey, config.SubnetId.Bytes, config.NodeIndex, epoch, signatures), FrameGate.For(config, dropped, signatures));
    }
}
