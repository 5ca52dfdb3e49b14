using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InternetIdentity.Replica.Genesis.Dkg;

/// <summary>Fetches an item from a peer's <see cref="DkgBoard"/>, asking again until the peer published it.</summary>
public static class DkgFetch
{
    /// <summary>How long to wait before asking again (the item is not there yet, or the peer is not up yet).</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The item <paramref name="name"/> of the board at <paramref name="peer"/>, asked for as participant <paramref name="me"/>;
    /// waits (asking again) until it is published or <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    public static async Task<byte[]> ItemAsync(DnsEndPoint peer, string name, int me, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            byte[]? item = await TryOnceAsync(peer, name, me, cancellationToken).ConfigureAwait(false);
            if (item is not null)
            {
                return item;
            }

            await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<byte[]?> TryOnceAsync(DnsEndPoint peer, string name, int me, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await client.ConnectAsync(peer.Host, peer.Port, timeout.Token).ConfigureAwait(false);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{name} {me}\n"), timeout.Token).ConfigureAwait(false);
            byte[] header = new byte[4];
            await stream.ReadExactlyAsync(header, timeout.Token).ConfigureAwait(false);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (length == DkgBoard.NotYet)
            {
                return null;
            }

            if (length > DkgBoard.MaxItemBytes)
            {
                throw new DkgException($"{peer.Host}:{peer.Port} sent a {length}-byte '{name}', more than {DkgBoard.MaxItemBytes}");
            }

            byte[] item = new byte[length];
            await stream.ReadExactlyAsync(item, timeout.Token).ConfigureAwait(false);
            return item;
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null; // not up yet, or went away: ask again
        }
    }
}
