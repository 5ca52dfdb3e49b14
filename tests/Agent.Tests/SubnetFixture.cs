using System.Net;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Agent.Tests;

/// <summary>One in-process subnet (II and whoami at their local ids) on a free loopback port, for one test fixture.</summary>
internal sealed class SubnetFixture : IAsyncDisposable
{
    private SubnetFixture(LocalSubnet subnet) => Subnet = subnet;

    public LocalSubnet Subnet { get; }

    public Uri Url => Subnet.Url;

    public byte[] RootKeyDer => Subnet.Config.RootKeyDer;

    public static async Task<SubnetFixture> StartAsync(int replicas = 1)
    {
        var random = new Random(1);
        IReadOnlyList<GenesisConfig> configs = GenesisBuilder.Create(replicas, "127.0.0.1", 0, random.NextBytes);
        LocalSubnet subnet = await LocalSubnet.StartAsync(configs, () => SubnetCanisters.Create(), TimeProvider.System, IPAddress.Loopback, 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await subnet.WaitUntilCertifiedAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await subnet.DisposeAsync();
            Assert.Fail("the subnet certified no height within 60 s");
        }

        return new SubnetFixture(subnet);
    }

    public ValueTask DisposeAsync() => Subnet.DisposeAsync();
}
