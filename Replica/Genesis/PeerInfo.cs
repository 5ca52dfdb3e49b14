using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Genesis;

/// <summary>One replica of the subnet as every other replica knows it: its node key and where to reach it.</summary>
/// <param name="Index">The node index (0..n-1; its threshold shares sit at x = index + 1).</param>
/// <param name="NodeId">The self-authenticating id of <paramref name="PublicKeyDer"/>.</param>
/// <param name="PublicKeyDer">The 44-byte DER Ed25519 node key.</param>
/// <param name="Host">Host name or address for both ports.</param>
/// <param name="HttpPort">Port of the IC HTTP interface.</param>
/// <param name="AkkaPort">Port of the replica-to-replica transport.</param>
public sealed record PeerInfo(int Index, Principal NodeId, byte[] PublicKeyDer, string Host, int HttpPort, int AkkaPort);
