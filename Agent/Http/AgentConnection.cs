using System.Collections.Concurrent;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Agent.Http;

/// <summary>What agents of one network share: the HTTP client, root key, synced clock and node keys.</summary>
internal sealed class AgentConnection : IDisposable
{
    private readonly bool _ownsHttp;

    public AgentConnection(HttpAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Host);
        if (options.IngressExpiry <= TimeSpan.Zero)
        {
            throw new ArgumentException("IngressExpiry must be positive", nameof(options));
        }

        Options = options;
        Clock = new ReplicaClock(options.Time);
        RootKey = options.RootKey;
        _ownsHttp = options.HttpClient is null;
        Http = options.HttpClient ?? new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        if (Http.BaseAddress is null)
        {
            string host = options.Host.ToString();
            Http.BaseAddress = new Uri(host.EndsWith('/') ? host : host + "/");
        }
    }

    public HttpAgentOptions Options { get; }

    public HttpClient Http { get; }

    public ReplicaClock Clock { get; }

    public byte[]? RootKey { get; set; }

    public bool SyncCallAvailable { get; set; } = true;

    public ConcurrentDictionary<Principal, byte[]> NodeKeys { get; } = new();

    public void Dispose()
    {
        if (_ownsHttp)
        {
            Http.Dispose();
        }
    }
}
