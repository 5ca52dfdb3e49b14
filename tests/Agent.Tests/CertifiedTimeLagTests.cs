using System.Net;
using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Agent.Tests;

/// <summary>
/// A subnet whose certified <c>/time</c> lags behind the clock its gateways check expiries against, as while restarted
/// replicas replay their heights: the agent must follow the time the replica names when it refuses an expiry.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CertifiedTimeLagTests
{
    [Test]
    public async Task QueryAsync_CertifiedTimeBehindTheReplicasClockByMoreThanTheExpiry_SyncsToTheTimeTheReplicaNames()
    {
        // Manual time: no height is made until a tick, so moving the clock leaves the certified /time where it was.
        var clock = new SubnetClock(SubnetTimeMode.Manual);
        IReadOnlyList<GenesisConfig> configs = GenesisBuilder.Create(1, "127.0.0.1", 0, new Random(1).NextBytes);
        await using LocalSubnet subnet = await LocalSubnet.StartAsync(configs, () => SubnetCanisters.Create(), clock, IPAddress.Loopback, 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await subnet.WaitUntilCertifiedAsync(cts.Token);
        var identity = Ed25519Identity.Generate();
        using HttpAgent agent = await HttpAgent.CreateAsync(new HttpAgentOptions { Host = subnet.Url, Identity = identity, RootKey = configs[0].RootKeyDer });
        await agent.SyncTimeAsync(WhoamiClient.DefaultCanisterId, cts.Token);

        // Four and a half minutes on the gateways' clock, none certified: an expiry four minutes (the agent's default)
        // after the certified time is past, while certificates are still within the agent's five-minute freshness.
        long lag = (long)TimeSpan.FromSeconds(270).TotalNanoseconds;
        clock.MoveTo(clock.NowNanos + lag);

        Assert.That(await new WhoamiClient(agent).WhoamiQueryAsync(cts.Token), Is.EqualTo(identity.Principal));
        Assert.That((long)agent.Clock.NowNanos, Is.GreaterThanOrEqualTo(clock.NowNanos), "the agent follows the replica's clock, not the certified time");
    }
}
