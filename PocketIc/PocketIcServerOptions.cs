using System.Net;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.PocketIc;

/// <summary>How to run the server (PocketIC's command line: <c>--ip-addr --port --port-file --ttl --log-levels</c>).</summary>
public sealed record PocketIcServerOptions
{
    /// <summary>The address to listen on (default 127.0.0.1).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port (0: any free port).</summary>
    public int Port { get; init; }

    /// <summary>
    /// The port file: created exclusively at start (when it exists, another server is running and this one exits),
    /// written with <c>"&lt;port&gt;\n"</c> atomically once listening, deleted on shutdown. None when null.
    /// </summary>
    public string? PortFile { get; init; }

    /// <summary>How long the server stays up with no request in progress (default 60 s, as PocketIC's).</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where the replicas and the server log; none when null.</summary>
    public ILoggerFactory? Logging { get; init; }
}
