using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InternetIdentity.Cli.Chaos;

/// <summary>
/// A TCP proxy in front of one replica's transport: it listens on the port genesis gives the replica and forwards to the
/// port the replica listens on. Every connection opens with Akka's association handshake, whose origin address names
/// the connecting replica; the proxy reads it from the first frame and admits the connection only while
/// <see cref="Admits"/> says the two replicas may talk, so a partition needs no root or kernel setup. Cutting
/// (<see cref="CutDisallowed"/>) closes the connections a new partition forbids.
/// </summary>
internal sealed class TransportProxy : IAsyncDisposable
{
    // Akka's first frame (ASSOCIATE) is small; a connection that sends no full frame this soon is not a peer's.
    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(10);
    private const int MaxHandshakeBytes = 64 * 1024;

    private readonly int _index;
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly IReadOnlyList<byte[]> _origins;
    private readonly Func<int, int, bool> _admits;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Link, int> _links = new();
    private Task _accepting = Task.CompletedTask;
    private long _refused;
    private long _unidentified;

    /// <summary>
    /// A proxy for replica <paramref name="index"/> on <paramref name="listen"/> forwarding to <paramref name="target"/>.
    /// <paramref name="knownPorts"/> are the transport ports genesis gives each replica (what handshakes carry) on
    /// <paramref name="host"/>; <paramref name="admits"/>(from, to) says whether replica from may reach replica to now.
    /// </summary>
    public TransportProxy(int index, IPEndPoint listen, IPEndPoint target, string host, IReadOnlyList<int> knownPorts, Func<int, int, bool> admits)
    {
        _index = index;
        _listener = new TcpListener(listen);
        _target = target;
        _admits = admits;
        _origins = [.. knownPorts.Select(p => OriginPattern(host, p))];
    }

    /// <summary>Connections refused or cut because of a partition.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Connections whose first frame named no replica (refused while any partition is in force).</summary>
    public long Unidentified => Interlocked.Read(ref _unidentified);

    /// <summary>Whether replica from may reach this replica now.</summary>
    private bool Admits(int from) => _admits(from, _index) && _admits(_index, from);

    /// <summary>Starts accepting.</summary>
    public void Start()
    {
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>Closes the open connections the current partition forbids.</summary>
    public void CutDisallowed()
    {
        foreach (Link link in _links.Keys.Where(l => !Admits(l.From)))
        {
            Interlocked.Increment(ref _refused);
            link.Close();
        }
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (Link link in _links.Keys)
        {
            link.Close();
        }

        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    // The protobuf of Akka's AddressData after the system name: hostname (field 2), then port (field 3, a varint).
    private static byte[] OriginPattern(string host, int port)
    {
        byte[] name = Encoding.UTF8.GetBytes(host);
        var pattern = new List<byte> { 0x12, (byte)name.Length };
        pattern.AddRange(name);
        pattern.Add(0x18);
        for (uint v = (uint)port; ; v >>= 7)
        {
            if (v < 0x80)
            {
                pattern.Add((byte)v);
                break;
            }

            pattern.Add((byte)((v & 0x7F) | 0x80));
        }

        return [.. pattern];
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptSocketAsync(ct).ConfigureAwait(false);
            _ = Task.Run(() => HandleAsync(client, ct), CancellationToken.None);
        }
    }

    private async Task HandleAsync(Socket client, CancellationToken ct)
    {
        Socket? server = null;
        try
        {
            client.NoDelay = true;
            // Akka's frames: a 4-byte little-endian length, then the PDU (akka.remote.dot-netty.tcp.byte-order).
            byte[] head = new byte[4];
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(ct);
            handshake.CancelAfter(s_handshakeTimeout);
            await client.ReceiveExactlyAsync(head, handshake.Token).ConfigureAwait(false);
            int length = BinaryPrimitives.ReadInt32LittleEndian(head);
            byte[] first = new byte[Math.Clamp(length, 0, MaxHandshakeBytes)];
            await client.ReceiveExactlyAsync(first, handshake.Token).ConfigureAwait(false);
            int from = Identify(first);
            if (from < 0)
            {
                Interlocked.Increment(ref _unidentified);
            }

            if (from < 0 ? !Enumerable.Range(0, _origins.Count).All(Admits) : !Admits(from))
            {
                Interlocked.Increment(ref _refused);
                return;
            }

            server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await server.ConnectAsync(_target, ct).ConfigureAwait(false);
            await server.SendAsync(head, ct).ConfigureAwait(false);
            await server.SendAsync(first, ct).ConfigureAwait(false);
            var link = new Link(from, client, server);
            _links[link] = 0;
            try
            {
                using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
                Task up = PumpAsync(client, server, done.Token);
                Task down = PumpAsync(server, client, done.Token);
                await Task.WhenAny(up, down).ConfigureAwait(false);
                await done.CancelAsync().ConfigureAwait(false);
            }
            finally
            {
                _links.TryRemove(link, out _);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // A closed, cut or refused connection: Akka retries on its own.
        }
        finally
        {
            client.Dispose();
            server?.Dispose();
        }
    }

    private int Identify(ReadOnlySpan<byte> frame)
    {
        for (int i = 0; i < _origins.Count; i++)
        {
            if (frame.IndexOf(_origins[i]) >= 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private sealed class Link(int from, Socket client, Socket server)
    {
        public int From { get; } = from;

        public void Close()
        {
            client.Dispose();
            server.Dispose();
        }
    }
}

/// <summary>Reads exactly a buffer's length from a socket.</summary>
internal static class SocketReads
{
    /// <summary>Fills <paramref name="buffer"/>; throws <see cref="IOException"/> when the peer closes first.</summary>
    public static async Task ReceiveExactlyAsync(this Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        while (buffer.Length > 0)
        {
            int read = await socket.ReceiveAsync(buffer, ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the peer closed the connection");
            }

            buffer = buffer[read..];
        }
    }
}
