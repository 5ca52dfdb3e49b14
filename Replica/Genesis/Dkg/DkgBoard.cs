using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InternetIdentity.Replica.Genesis.Dkg;

/// <summary>
/// One DKG participant's notice board over TCP: what it published (signed items, by name) for its peers to fetch. A
/// request is one line, <c>name from-index</c>; the answer a 4-byte big-endian length and the item, or 0xFFFFFFFF while
/// the item is not published yet (the peer asks again). It remembers who fetched what, so the participant can stay until
/// every peer has what it needs from it.
/// </summary>
public sealed class DkgBoard : IAsyncDisposable
{
    /// <summary>Largest item (a dealing for 100 replicas is well under it).</summary>
    public const int MaxItemBytes = 4 * 1024 * 1024;

    /// <summary>The answer length that means "not published yet".</summary>
    internal const uint NotYet = uint.MaxValue;

    private readonly ConcurrentDictionary<string, byte[]> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, int From), bool> _served = new();
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly SemaphoreSlim _changed = new(0);

    private DkgBoard(TcpListener listener)
    {
        _listener = listener;
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>The port it listens on (the one asked for, or a free one for 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts listening on every address at <paramref name="port"/>.</summary>
    /// <exception cref="SocketException">the port cannot be used.</exception>
    public static DkgBoard Start(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        var listener = new TcpListener(address, port);
        listener.Start();
        return new DkgBoard(listener);
    }

    /// <summary>Publishes an item (once: a published item never changes, so every peer sees the same).</summary>
    public void Publish(string name, byte[] item)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(item);
        if (item.Length > MaxItemBytes)
        {
            throw new ArgumentException($"a DKG item has at most {MaxItemBytes} bytes, not {item.Length}", nameof(item));
        }

        if (!_items.TryAdd(name, item))
        {
            throw new InvalidOperationException($"the DKG item '{name}' is published already");
        }
    }

    /// <summary>Waits until every peer in <paramref name="peers"/> has fetched the item <paramref name="name"/>.</summary>
    public async Task WaitFetchedAsync(string name, IEnumerable<int> peers, CancellationToken cancellationToken)
    {
        int[] waiting = [.. peers];
        while (!waiting.All(p => _served.ContainsKey((name, p))))
        {
            await _changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
                _ = ServeAsync(client, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                NetworkStream stream = client.GetStream();
                string? request = await ReadLineAsync(stream, timeout.Token).ConfigureAwait(false);
                string[] parts = request?.Split(' ') ?? [];
                if (parts.Length != 2 || !int.TryParse(parts[1], out int from))
                {
                    return; // not a DKG peer: close
                }

                byte[] header = new byte[4];
                if (_items.TryGetValue(parts[0], out byte[]? item))
                {
                    BinaryPrimitives.WriteUInt32BigEndian(header, (uint)item.Length);
                    await stream.WriteAsync(header, timeout.Token).ConfigureAwait(false);
                    await stream.WriteAsync(item, timeout.Token).ConfigureAwait(false);
                    if (_served.TryAdd((parts[0], from), true))
                    {
                        _changed.Release();
                    }
                }
                else
                {
                    BinaryPrimitives.WriteUInt32BigEndian(header, NotYet);
                    await stream.WriteAsync(header, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // a peer that went away asks again
            }
        }
    }

    private static async Task<string?> ReadLineAsync(NetworkStream stream, CancellationToken ct)
    {
        var line = new StringBuilder();
        byte[] one = new byte[1];
        while (line.Length < 128)
        {
            if (await stream.ReadAsync(one, ct).ConfigureAwait(false) == 0)
            {
                return null;
            }

            if (one[0] == (byte)'\n')
            {
                return line.ToString();
            }

            line.Append((char)one[0]);
        }

        return null;
    }

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
