using System.Net;
using System.Net.Sockets;

namespace InternetIdentity.SubnetLoad;

/// <summary>Finds consecutive free loopback ports (<c>iinet up</c> takes port .. port + replicas - 1).</summary>
internal static class FreePorts
{
    public static int FindBase(int count)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int first;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                first = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            if (first + count - 1 <= 65535 && Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new LoadException($"no {count} consecutive free ports on 127.0.0.1 after 100 attempts");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
