using System.Net;
using Akka.Actor;
using Akka.Configuration;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Persistence;
using Microsoft.Data.Sqlite;

namespace InternetIdentity.Replica.Tests.Persistence;

[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PersistenceFailureTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("iinet-readonly-").FullName;

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        foreach (string f in Directory.EnumerateFiles(_dir))
        {
            File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task Replica_SqliteFileReadOnly_StopsVotingReportsUnhealthyWithTheReasonAndHaltsAfterBoundedRetries()
    {
        GenesisConfig config = TestSubnets.Create(1)[0];
        ReplicaStorage storage = ReplicaStorage.Sqlite(_dir);
        ReplicaHostOptions Options(Config? akka = null) => new()
        {
            Canisters = SubnetCanisters.Create(),
            Time = new TestClock(),
            HttpAddress = IPAddress.Loopback,
            HttpPort = 0,
            AkkaPort = 0,
            Storage = storage,
            AkkaConfig = akka,
            PersistenceRetries = 2,
            PersistenceRetryDelay = TimeSpan.FromMilliseconds(200),
        };

        // A first run writes the journal's tables and some heights.
        await using (ReplicaHost first = ReplicaHost.Bind(config, Options()))
        {
            await first.StartAsync([first.Address], joinCluster: false);
            using var certified = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await first.Node.WaitForCertificationAsync(2, certified.Token);
        }

        SqliteConnection.ClearAllPools();
        string readOnly = new SqliteConnectionStringBuilder(storage.ConfigFor(0).GetString("akka.persistence.journal.sql.connection-string"))
        {
            Mode = SqliteOpenMode.ReadOnly,
        }.ToString();
        SqliteConnection.ClearAllPools();
        string file = Path.Combine(_dir, "replica-0.db");
        File.SetUnixFileMode(file, UnixFileMode.UserRead);
        // The file is read-only to its owner; root ignores file modes, so the journal also opens it read-only.
        Config akka = ConfigurationFactory.ParseString($"""
            akka.persistence.journal.sql.connection-string = "{readOnly.Replace("\"", "\\\"", StringComparison.Ordinal)}"
            akka.persistence.journal.sql.recovery-event-timeout = 5s
            """);
        await using ReplicaHost host = ReplicaHost.Bind(config, Options(akka));
        await host.StartAsync([host.Address], joinCluster: false);

        Task<Exception> halted = host.Node.Halted;
        // From the first failure on, every retry recovers the (readable) journal and fails its first write again: the
        // status names the journal throughout, never flapping back to healthy or to another reason in between.
        var seen = new List<(string Status, string? Reason)>();
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!halted.IsCompleted && !giveUp.IsCancellationRequested)
        {
            if (seen.Count > 0 || host.Node.HealthProblem is not null)
            {
                seen.Add(host.Node.Health);
            }

            await Task.WhenAny(halted, Task.Delay(20, giveUp.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        }

        Assert.That(halted.IsCompleted, Is.True,
            $"the replica did not stop within 60 s (health problem: {host.Node.HealthProblem}, certified: {host.Node.Latest?.Height})");
        Assert.That(seen, Is.Not.Empty, "the failure was seen before the replica stopped");
        Assert.That(seen.Where(h => h.Reason?.Contains("consensus journal", StringComparison.Ordinal) != true).Distinct(), Is.Empty,
            $"every status from the first failure on names the journal ({seen.Count} samples)");
        Assert.That(halted.Result.Message, Does.Contain("consensus journal failed to write"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        StatusResponse status = StatusResponse.Decode(await http.GetByteArrayAsync(new Uri(host.Gateway.Url, "/api/v2/status")));
        Assert.That(status.ReplicaHealthStatus, Is.Not.EqualTo("healthy"));
        Assert.That(status.ReplicaHealthReason, Does.Contain("consensus journal"), "the status says why");
    }
}
