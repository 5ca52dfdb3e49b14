using System.Net;
using System.Net.Sockets;
using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Testing.Tests;

/// <summary>Starting, stopping and resetting a <see cref="LocalNetwork"/>.</summary>
[TestFixture]
public sealed class LocalNetworkLifecycleTests
{
    [Test]
    public async Task DisposeAsync_RunningNetwork_FreesEveryPort()
    {
        IReadOnlyList<Uri> urls;
        await using (LocalNetwork network = await LocalNetwork.StartAsync(new LocalNetworkOptions { Replicas = 4 }))
        {
            urls = network.ReplicaUrls;
            Assert.That(urls, Has.Count.EqualTo(4));
            using HttpAgent agent = network.CreateAgent();
            StatusResponse status = await agent.StatusAsync();
            Assert.That(status.RootKey, Is.EqualTo(network.RootKey));
            Assert.That(CanListen(urls[0].Port), Is.False, "a running replica's port is taken");
        }

        foreach (Uri url in urls)
        {
            Assert.That(CanListen(url.Port), Is.True, $"port {url.Port} is free after disposal");
        }
    }

    [Test]
    public async Task StartAsync_SecondStart_ReusesTheGenesis()
    {
        // Two replicas: a replica count no other test uses, so the first start here makes the genesis.
        var options = new LocalNetworkOptions { Replicas = 2 };
        TimeSpan first, second;
        byte[] firstRootKey;
        await using (LocalNetwork network = await LocalNetwork.StartAsync(options))
        {
            first = network.StartupTime;
            firstRootKey = network.RootKey;
        }

        await using (LocalNetwork network = await LocalNetwork.StartAsync(options))
        {
            second = network.StartupTime;
            Assert.That(network.RootKey, Is.EqualTo(firstRootKey), "the second network runs the cached genesis (same subnet key)");
        }

        // Speed is measured in bench/README.md, not asserted here (a loaded 2-core machine makes any bound flaky).
        TestContext.Out.WriteLine($"first start {first.TotalMilliseconds:0} ms, second start {second.TotalMilliseconds:0} ms");
    }

    /// <summary>
    /// The startup figures of bench/README.md: run alone, so the first start is the process's first. Per start it prints
    /// wall and process CPU time and what the runtime did meanwhile (methods jitted, GCs and their pauses, thread-pool
    /// threads), so a slow start shows where its CPU went.
    /// </summary>
    [Test]
    [Explicit("a measurement: run it alone with --filter Name=StartAsync_FourReplicas_FirstAndSecondStartTimes")]
    public async Task StartAsync_FourReplicas_FirstAndSecondStartTimes()
    {
        const int starts = 10;
        var times = new List<TimeSpan>();
        var resets = new List<TimeSpan>();
        var cpu = new List<TimeSpan>();
        for (int i = 0; i < starts; i++)
        {
            var before = RuntimeCounters.Now();
            await using LocalNetwork network = await LocalNetwork.StartAsync(new LocalNetworkOptions { Replicas = 4 });
            var after = RuntimeCounters.Now();
            times.Add(network.StartupTime);
            cpu.Add(after.Cpu - before.Cpu);
            TestContext.Out.WriteLine($"start {i + 1}: {network.StartupTime.TotalMilliseconds:0} ms wall, {after.Since(before)} "
                + $"(monotonic {before.At}..{after.At} ns, to line up with a profile)");
            await network.CreateAnchorAsync();
            await network.ResetAsync();
            resets.Add(network.StartupTime);
        }

        TestContext.Out.WriteLine("4 replicas, start to certified on every replica (start snapshot taken): "
            + string.Join(", ", times.Select(t => $"{t.TotalMilliseconds:0} ms")));
        TestContext.Out.WriteLine("process CPU time during each start: " + string.Join(", ", cpu.Select(t => $"{t.TotalMilliseconds:0} ms")));
        TestContext.Out.WriteLine("reset after one anchor: " + string.Join(", ", resets.Select(t => $"{t.TotalMilliseconds:0} ms")));
        Assert.That(times.Skip(1).Min(), Is.LessThan(times[0]));
    }

    // What the runtime did in the process: CPU time, JIT, GC and thread-pool counts at one moment.
    private sealed record RuntimeCounters(TimeSpan Cpu, long Jitted, TimeSpan JitTime, int Gen0, int Gen1, int Gen2, TimeSpan GcPause, int Threads,
        long HeapBytes, long At)
    {
        public static RuntimeCounters Now()
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            return new RuntimeCounters(self.TotalProcessorTime, System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime(),
                GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), ThreadPool.ThreadCount,
                GC.GetTotalMemory(false), System.Diagnostics.Stopwatch.GetTimestamp());
        }

        public string Since(RuntimeCounters before) =>
            $"{(Cpu - before.Cpu).TotalMilliseconds:0} ms CPU, {Jitted - before.Jitted} methods jitted in {(JitTime - before.JitTime).TotalMilliseconds:0} ms, "
            + $"GCs {Gen0 - before.Gen0}/{Gen1 - before.Gen1}/{Gen2 - before.Gen2} (gen0/1/2) paused {(GcPause - before.GcPause).TotalMilliseconds:0} ms, "
            + $"pool threads {before.Threads}->{Threads}, heap {before.HeapBytes >> 20}->{HeapBytes >> 20} MiB";
    }

    [Test]
    [Explicit("a measurement: run it alone with --filter Name=TickAsync_FourReplicas_TickTimes")]
    public async Task TickAsync_FourReplicas_TickTimes()
    {
        await using LocalNetwork network = await LocalNetwork.StartAsync(new LocalNetworkOptions { Replicas = 4, TimeMode = SubnetTimeMode.Manual });
        var ticks = new List<double>();
        for (int i = 0; i < 30; i++)
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            await network.Time.TickAsync();
            ticks.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        ticks.Sort();
        TestContext.Out.WriteLine($"4 replicas, manual time, 30 ticks (each certified on every replica): min {ticks[0]:0.0} ms, "
            + $"median {ticks[15]:0.0} ms, max {ticks[^1]:0.0} ms");
        Assert.That(ticks, Has.Count.EqualTo(30));
    }

    [Test]
    public async Task ResetAsync_AfterAnAnchor_RestoresTheStartStateOnTheSamePorts()
    {
        await using LocalNetwork network = await LocalNetwork.StartAsync(new LocalNetworkOptions { Replicas = 4 });
        TestAnchor anchor = await network.CreateAnchorAsync();
        Uri before = network.Url;
        long timeBefore = network.Time.NowNanos;

        await network.ResetAsync();

        TestContext.Out.WriteLine($"reset took {network.StartupTime.TotalMilliseconds:0} ms");
        Assert.That(network.Url, Is.EqualTo(before), "a reset is not a restart");
        ArgumentException? e = Assert.ThrowsAsync<ArgumentException>(() => network.SignInAsync(anchor, "https://dapp.example"));
        Assert.That(e!.ParamName, Is.EqualTo("anchor"));
        using HttpAgent agent = network.CreateAgent();
        var ii = new InternetIdentityClient(agent);
        Assert.That(await ii.LookupAsync(anchor.Number), Is.Empty, "the anchor's devices are gone on the certified state");
        TestAnchor again = await network.CreateAnchorAsync();
        Assert.That(again.Number, Is.EqualTo(anchor.Number), "II is empty again: it hands out the first anchor number again");
        Assert.That(network.Time.NowNanos, Is.GreaterThanOrEqualTo(timeBefore), "time does not go back");
    }

    [Test]
    public async Task ResetAsync_ManualTime_TicksItsOwnRound()
    {
        await using LocalNetwork network = await LocalNetwork.StartAsync(new LocalNetworkOptions { Replicas = 1, TimeMode = SubnetTimeMode.Manual });
        TestAnchor first = await network.CreateAnchorAsync();

        await network.ResetAsync();

        TestAnchor again = await network.CreateAnchorAsync();
        Assert.That(again.Number, Is.EqualTo(first.Number));
    }

    [Test]
    public async Task ManagementCanister_SnapshotByAnotherIdentity_IsRefusedAsNotAController()
    {
        await using LocalNetwork network = await LocalNetwork.StartAsync(new LocalNetworkOptions { Replicas = 1 });
        using HttpAgent stranger = network.CreateAgent(Ed25519Identity.Generate());

        IcRejectException? e = Assert.ThrowsAsync<IcRejectException>(() => stranger.CallAsync(Principal.ManagementCanister, "take_canister_snapshot",
            CandidArgs.Encode(new CanisterIdRecord(CandidPrincipal.FromPrincipal(LocalNetwork.InternetIdentityId)))));

        Assert.That(e!.Code, Is.EqualTo(RejectCode.CanisterError));
        Assert.That(e.ErrorCode, Is.EqualTo("IC0512"));
        Assert.That(e.Message, Does.Contain($"Only the controllers of the canister {LocalNetwork.InternetIdentityId} can control it."));
    }


    [Test]
    public async Task StartAsync_ManualTime_AnchorsAndSignInsTickThemselves()
    {
        await using LocalNetwork network = await LocalNetwork.StartAsync(new LocalNetworkOptions { Replicas = 1, TimeMode = SubnetTimeMode.Manual });
        long before = network.Time.NowNanos;
        TestAnchor anchor = await network.CreateAnchorAsync();
        TestSignInResult signIn = await network.SignInAsync(anchor, "https://dapp.example");
        Assert.That(signIn.ExpirationNanos, Is.GreaterThan((ulong)before));
        Assert.That(network.Time.NowNanos - before, Is.LessThan(1_000_000_000L), "manual time moved only by ticks (1 ms each)");
    }

    [Test]
    public void StartAsync_BadOptions_ThrowsArgumentExceptionNamingTheOption()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => LocalNetwork.StartAsync(new LocalNetworkOptions { Replicas = 0 }))!.ParamName,
                Is.EqualTo("Replicas"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => LocalNetwork.StartAsync(new LocalNetworkOptions { StartTimeout = TimeSpan.Zero }))!.ParamName,
                Is.EqualTo("StartTimeout"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => LocalNetwork.StartAsync(new LocalNetworkOptions { CallTimeout = TimeSpan.FromSeconds(-1) }))!.ParamName,
                Is.EqualTo("CallTimeout"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => LocalNetwork.StartAsync(new LocalNetworkOptions { AssetFolders = ["/no/such/folder"] }))!.ParamName,
                Is.EqualTo("AssetFolders"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => LocalNetwork.StartAsync(new LocalNetworkOptions { TimeMode = (SubnetTimeMode)7 }))!.ParamName,
                Is.EqualTo("TimeMode"));
            Assert.That(Assert.Throws<ArgumentException>(() => LocalNetworkStorage.Sqlite(" "))!.ParamName, Is.EqualTo("directory"));
        });
    }

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
