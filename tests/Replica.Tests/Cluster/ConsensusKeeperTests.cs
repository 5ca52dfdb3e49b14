using System.Net;
using Akka.Configuration;
using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Replica.Tests.Cluster;

/// <summary>Commands for consensus follow the actor through the keeper's restarts.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ConsensusKeeperTests
{
    [Test]
    public async Task TickAsync_AfterConsensusRestartedOnJournalFailure_ReachesTheNewActorAndCertifies()
    {
        Config akka = ConfigurationFactory.ParseString(FailingJournal.Hocon);
        await using LocalSubnet subnet = await LocalSubnet.StartAsync(TestSubnets.Create(1), SubnetCanisters.Create,
            new SubnetClock(SubnetTimeMode.Manual), IPAddress.Loopback, 0,
            replicaOptions: o => o with { AkkaConfig = akka, PersistenceRetries = 3, PersistenceRetryDelay = TimeSpan.FromMilliseconds(100) });
        subnet.Time.Timeout = TimeSpan.FromSeconds(20);
        long before = subnet.Time.CertifiedHeight;

        // The tick's block is journaled first: that write fails, the actor stops, the keeper starts a new one.
        FailingJournal.FailNextWrite();
        SubnetTimeResult failed = await subnet.Time.TickAsync();
        SubnetTimeResult next = await subnet.Time.TickAsync();

        Assert.That(subnet.Replicas[0].HealthProblem, Is.Null, "the restarted actor recovered");
        Assert.That(failed.Height, Is.EqualTo(before + 1), "the restarted actor got the tick's allowance from the keeper");
        Assert.That(next.Height, Is.EqualTo(before + 2), "a tick after the restart reaches the new actor");
    }
}
