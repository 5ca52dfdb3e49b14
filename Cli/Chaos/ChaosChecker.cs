using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;

namespace InternetIdentity.Cli.Chaos;

/// <summary>An acknowledged update missing on a replica.</summary>
internal sealed record LostUpdate(int Replica, ulong Anchor, string Operation, string What);

/// <summary>
/// Checks after a run that every acknowledged update is on every replica: each request's certified status is
/// <c>replied</c> in a read_state of that replica (read as the anchor's identity, which read_state requires), and II's state on that replica (a <c>lookup</c> query, signed by that replica's node key) holds
/// every acknowledged device. Statuses whose ingress expiry passed may be pruned and are counted, not looked up.
/// </summary>
internal static class ChaosChecker
{
    /// <summary>What the check found.</summary>
    internal sealed record Result(int Checked, int Expired, IReadOnlyList<LostUpdate> Lost, IReadOnlyList<string> Unreachable);

    /// <summary>Checks <paramref name="anchors"/> on every replica of <paramref name="urls"/>.</summary>
    public static async Task<Result> CheckAsync(IReadOnlyList<Uri> urls, byte[] rootKeyDer, IReadOnlyList<AnchorRecord> anchors,
        TimeSpan statusLifetime, DateTimeOffset firstCall, CancellationToken ct)
    {
        var lost = new List<LostUpdate>();
        var unreachable = new List<string>();
        int checkedCount = 0;
        // Requests acknowledged in the first part of a long run may have passed their expiry: their statuses may be gone.
        bool statusesMayBePruned = DateTimeOffset.UtcNow - firstCall > statusLifetime;
        for (int replica = 0; replica < urls.Count; replica++)
        {
            using var http = new HttpClient { BaseAddress = urls[replica], Timeout = TimeSpan.FromSeconds(30) };
            using var agent = new HttpAgent(new HttpAgentOptions { Host = urls[replica], RootKey = rootKeyDer, HttpClient = http });
            using var gate = new SemaphoreSlim(8);
            int r = replica;
            IEnumerable<Task<(int Checked, List<LostUpdate> Lost, string? Error)>> checks = anchors.Select(async anchor =>
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    return await CheckAnchorAsync(agent, r, anchor, statusesMayBePruned, ct).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            });
            foreach ((int n, List<LostUpdate> missing, string? error) in await Task.WhenAll(checks).ConfigureAwait(false))
            {
                checkedCount += n;
                lost.AddRange(missing);
                if (error is not null)
                {
                    unreachable.Add(error);
                }
            }
        }

        int expired = statusesMayBePruned ? anchors.Sum(a => a.Requests.Count) * urls.Count - checkedCount : 0;
        return new Result(checkedCount, expired, lost, unreachable);
    }

    private static async Task<(int Checked, List<LostUpdate> Lost, string? Error)> CheckAnchorAsync(HttpAgent agent, int replica, AnchorRecord anchor,
        bool statusesMayBePruned, CancellationToken ct)
    {
        var lost = new List<LostUpdate>();
        (string Operation, Protocol.RequestIds.RequestId Id)[] requests;
        byte[][] devices;
        lock (anchor)
        {
            requests = [.. anchor.Requests];
            devices = [.. anchor.Devices];
        }

        int checkedCount = 0;
        try
        {
            if (!statusesMayBePruned)
            {
                // read_state answers the status of one request id at a time.
                HttpAgent sender = agent.WithIdentity(anchor.Identity);
                foreach ((string operation, Protocol.RequestIds.RequestId id) in requests)
                {
                    RequestStatus status = await sender.RequestStatusAsync(InternetIdentityClient.DefaultCanisterId, id, ct).ConfigureAwait(false);
                    checkedCount++;
                    if (status.Status != "replied")
                    {
                        lost.Add(new LostUpdate(replica, anchor.Number, operation, $"request {id} is {status.Status} in the certified state"));
                    }
                }
            }

            DeviceData[] found = await new InternetIdentityClient(agent).LookupAsync(anchor.Number, ct).ConfigureAwait(false);
            foreach (byte[] device in devices)
            {
                if (!found.Any(d => d.Pubkey.AsSpan().SequenceEqual(device)))
                {
                    lost.Add(new LostUpdate(replica, anchor.Number, LoadDriver.AddDevice, $"device {Convert.ToHexStringLower(device)[^16..]} not in lookup"));
                }
            }
        }
        catch (Exception e) when (e is IcAgentException or HttpRequestException or TaskCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            return (checkedCount, lost, $"replica {replica}, anchor {anchor.Number}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }

        return (checkedCount, lost, null);
    }
}
