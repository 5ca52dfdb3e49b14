using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Cli.Chaos;

/// <summary>
/// An HTTP handler under the agents of the load: it reads the request id of every call envelope posted while an
/// operation is open (<see cref="Begin"/>), so that an acknowledged operation knows which requests to look for later.
/// </summary>
internal sealed class CallRecorder : DelegatingHandler
{
    private static readonly AsyncLocal<List<RequestId>?> s_current = new();

    /// <summary>A recorder over a fresh socket handler.</summary>
    public CallRecorder()
        : base(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), ConnectTimeout = TimeSpan.FromSeconds(3) })
    {
    }

    /// <summary>Opens an operation on this async flow: the request ids of calls posted under it collect in the list returned.</summary>
    public static List<RequestId> Begin()
    {
        var ids = new List<RequestId>();
        s_current.Value = ids;
        return ids;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequestId? id = null;
        if (s_current.Value is not null && request.Content is not null && request.RequestUri?.AbsolutePath.EndsWith("/call", StringComparison.Ordinal) == true)
        {
            byte[] body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            id = Envelope.Decode(body).Content.ComputeRequestId();
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // Only a call the replica took (a refused one, e.g. an expiry the agent retries with a new envelope, never runs).
        if (id is RequestId taken && response.IsSuccessStatusCode && s_current.Value is { } ids)
        {
            lock (ids)
            {
                if (!ids.Contains(taken))
                {
                    ids.Add(taken);
                }
            }
        }

        return response;
    }
}
