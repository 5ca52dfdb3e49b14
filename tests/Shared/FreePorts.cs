using System.Net;
using System.Net.Sockets;

namespace InternetIdentity.TestSupport;

/// <summary>
/// Finds blocks of consecutive free loopback ports for child processes that take a base port (`iinet up --port P` uses
/// P .. P + 2n - 1). A port found free can still be taken before the child binds it, so callers retry on a bind
/// failure (<see cref="IinetProcess.StartUpAsync"/> does).
/// </summary>
internal static class FreePorts
{
    // Below Linux's ephemeral range (32768..60999), so outgoing connections of other processes do not land in the block.
    private const int RangeStart = 20000;
    private const int RangeEnd = 32000;

    /// <summary>The first port of <paramref name="count"/> consecutive ports that are free on 127.0.0.1 right now.</summary>
    public static int FindConsecutive(int count)
    {
        if (count is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "between 1 and 1000 ports");
        }

        for (int attempt = 0; attempt < 200; attempt++)
        {
            int start = Random.Shared.Next(RangeStart, RangeEnd - count);
            if (AllFree(start, count))
            {
                return start;
            }
        }

        throw new InvalidOperationException($"no {count} consecutive free loopback ports in {RangeStart}..{RangeEnd} after 200 attempts");
    }

    private static bool AllFree(int start, int count)
    {
        var held = new List<Socket>(count);
        try
        {
            for (int port = start; port < start + count; port++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                held.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            foreach (Socket s in held)
            {
                s.Dispose();
            }
        }
    }
}
