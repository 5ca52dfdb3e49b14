using System.Diagnostics;
using InternetIdentity.Cli.Chaos;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests.Chaos;

/// <summary>
/// Real `iinet node` processes under II load through the chaos library with a fixed schedule: kill -9 and restart,
/// SIGSTOP/SIGCONT, a partition healed, a replica's data wiped and resynced, a clean restart, a restart with its clock 4 s
/// behind and back (its blocks keep their parents' time: certified times repeat across heights). One run serves the tests below (each checks
/// its fault); the whole run is bounded by the chaos run's own bounds.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ChaosProcessTests
{
    private const int Seed = 20261207;
    private string _dir = "";
    private ChaosSummary? _summary;

    private ChaosSummary Summary => _summary ?? throw new InvalidOperationException("the run did not happen");

    [OneTimeSetUp]
    public async Task RunScheduleAsync()
    {
        _dir = Directory.CreateTempSubdirectory("iinet-chaos-").FullName;
        TimeSpan S(double s) => TimeSpan.FromSeconds(s);
        var settings = new ChaosSettings
        {
            Replicas = 4,
            Duration = S(62),
            Seed = Seed,
            LoadPerSecond = 3,
            OutDir = _dir,
            BasePort = FreePorts.FindConsecutive(12),
            StallBound = S(90),
            Launcher = new NodeLauncher(IinetProcess.DotnetHost(), [IinetProcess.CliDll()]),
            Schedule =
            [
                new Fault(FaultKind.Kill, S(3), S(3), [0]),
                new Fault(FaultKind.Pause, S(12), S(4), [1]),
                new Fault(FaultKind.Partition, S(20), S(5), [2]),
                new Fault(FaultKind.Wipe, S(29), S(3), [3]),
                new Fault(FaultKind.Restart, S(38), S(3), [0]),
                new Fault(FaultKind.Clock, S(46), S(6), [1], ClockOffsetMs: -4_000),
            ],
        };
        TestContext.Progress.WriteLine($"chaos seed {Seed}, out {_dir}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var log = new StringWriter();
        try
        {
            _summary = await ChaosRun.RunAsync(settings, log, timeout.Token);
        }
        finally
        {
            TestContext.Progress.WriteLine(log.ToString());
        }

        TestContext.Progress.WriteLine(ChaosReport.Json(_summary).ToJsonString());
    }

    [OneTimeTearDown]
    public void DeleteDir()
    {
        if (_summary is { Failures.Count: 0 } && Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Test]
    public void Run_FixedSchedule_NothingAcknowledgedLostNoDivergenceNoStall()
    {
        Assert.That(Summary.AcknowledgedTotal, Is.GreaterThan(20), "the load was acknowledged under faults");
        Assert.That(Summary.Check.Checked, Is.GreaterThan(Summary.AcknowledgedTotal), "request statuses were read on every replica");
        Assert.That(Summary.RootsCompared, Is.GreaterThan(40));
        Assert.That(Summary.Failures, Is.Empty, $"seed {Seed}, logs in {_dir}");
    }

    [TestCase("kill")]
    [TestCase("pause")]
    [TestCase("partition")]
    [TestCase("wipe")]
    [TestCase("restart")]
    [TestCase("clock")]
    public void Fault_Healed_ReplicaCatchesUpWithinTheBound(string kind)
    {
        FaultOutcome outcome = Summary.Faults.Single(f => f.Fault.Kind == Fault.ParseKinds(kind)[0]);
        TestContext.Out.WriteLine($"{outcome.Fault}: caught up to height {outcome.HeightAtHeal} {outcome.RecoverySeconds} s after the heal (seed {Seed})");
        Assert.That(outcome.RecoverySeconds, Is.Not.Null, $"{outcome.Fault} did not recover within {Summary.Settings.StallBound}");
    }

    [Test]
    public void RestartAndClock_Replicas_StartedAgainTheSkewedOneWithItsOffset()
    {
        Assert.That(Summary.Faults.Select(f => f.Fault.Kind), Does.Contain(FaultKind.Restart).And.Contain(FaultKind.Clock));
        string skewed = File.ReadAllText(Path.Combine(_dir, "node-1.log"));
        // The skewed process's own output, from its start line to the next start: it certified, i.e. took part.
        int from = skewed.IndexOf("clock        -4000 ms off the system clock", StringComparison.Ordinal);
        string starts = string.Join('\n', skewed.Split('\n').Where(l => l.StartsWith("===", StringComparison.Ordinal) || l.StartsWith("clock", StringComparison.Ordinal)));
        Assert.That(from, Is.Not.Negative, "replica 1 ran with its clock 4 s behind:\n" + starts);
        int next = skewed.IndexOf("=== ", from, StringComparison.Ordinal);
        Assert.That(skewed[from..(next < 0 ? skewed.Length : next)], Does.Contain("ready: replica 1"), "the skewed replica certified before it was healed:\n" + starts);
        Assert.That(File.ReadAllText(Path.Combine(_dir, "node-0.log")), Does.Contain("=== ").And.Contain(" start 3: "),
            "replica 0 started after its kill and again after its restart");
    }

    [Test]
    public void Partition_Proxies_RefusedConnectionsBetweenTheGroups() =>
        Assert.That(Summary.Proxies.Refused, Is.GreaterThan(0), "the partition refused or cut connections");
}

/// <summary>A replica whose SQLite files become read-only stops voting, says why, and exits non-zero after its bounded retry.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ChaosPersistenceFailureTests
{
    private string _dir = "";
    private readonly List<string> _frozen = [];

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("iinet-chaos-ro-").FullName;

    [TearDown]
    public void DeleteDir()
    {
        foreach (string path in _frozen)
        {
            ReadOnly(path, on: false);
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task Node_SqliteFileReadOnly_ReportsUnhealthyWithReasonAndExitsNonZero()
    {
        await using ChaosNetwork network = ChaosNetwork.Start(new ChaosNetworkOptions(_dir, 4, FreePorts.FindConsecutive(12),
            new NodeLauncher(IinetProcess.DotnetHost(), [IinetProcess.CliDll()])));
        Assert.That(await network.WaitUntilCertifiedAsync(1, TimeSpan.FromSeconds(150), CancellationToken.None), Is.Empty);
        ChaosNode node = network.Nodes[0];
        // Every file: SQLite keeps its WAL index in the heap (unix-excl), so there is no memory-mapped -shm whose refused
        // write would be a SIGBUS instead of an error the replica can report.
        string[] files = Directory.GetFiles(node.DataDir, "*", SearchOption.AllDirectories);
        Assert.That(files.Where(f => f.EndsWith("-shm", StringComparison.Ordinal)), Is.Empty, "no memory-mapped wal-index");
        foreach (string file in files)
        {
            ReadOnly(file, on: true);
            _frozen.Add(file);
        }

        // Writes now fail: the replica retries its journal a bounded number of times, reporting why, then exits.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var statuses = new List<(string? Status, string? Reason)>();
        var waited = Stopwatch.StartNew();
        int? code = null;
        while (waited.Elapsed < TimeSpan.FromSeconds(90) && (code = await node.WaitForExitAsync(TimeSpan.FromMilliseconds(300))) is null)
        {
            try
            {
                var status = Protocol.Envelopes.StatusResponse.Decode(await http.GetByteArrayAsync(new Uri(network.Urls[0], "/api/v2/status")));
                statuses.Add((status.ReplicaHealthStatus, status.ReplicaHealthReason));
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
        }

        TestContext.Out.WriteLine($"exited {code} after {waited.Elapsed.TotalSeconds:0.0} s; statuses: {string.Join("; ", statuses.Distinct())}");
        string log = await File.ReadAllTextAsync(node.LogPath);
        Assert.That(code, Is.Not.Null.And.Not.EqualTo(0), "the replica exits non-zero within 90 s of its files turning read-only:\n" + node.Tail);
        int first = statuses.FindIndex(s => s.Reason?.Contains("consensus journal", StringComparison.Ordinal) == true);
        Assert.That(first, Is.Not.Negative, "its status named the failing journal while it retried: " + string.Join("; ", statuses.Distinct()));
        // The cause wins over its symptoms: from the first failure on, never healthy, never only "behind".
        Assert.That(statuses.Skip(first).Where(s => s.Status == "healthy" || s.Reason?.Contains("consensus journal", StringComparison.Ordinal) != true).Distinct(),
            Is.Empty, "every status after the failure names the journal");
        Assert.That(log, Does.Contain("journal").IgnoreCase, "the log names the failing journal");
    }

    // Root ignores file modes: the immutable attribute is what refuses root's writes.
    private static void ReadOnly(string path, bool on)
    {
        if (Environment.UserName != "root" && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, on ? UnixFileMode.UserRead : UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return;
        }

        using Process chattr = Process.Start(new ProcessStartInfo("chattr", [on ? "+i" : "-i", path]) { RedirectStandardError = true })!;
        chattr.WaitForExit();
        Assert.That(chattr.ExitCode, Is.EqualTo(0), $"chattr {(on ? "+i" : "-i")} {path}: {chattr.StandardError.ReadToEnd()}");
    }
}

/// <summary>`iinet chaos` killed with SIGKILL (no time to stop anything) leaves no replica process behind.</summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ChaosToolKilledTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("iinet-chaos-killed-").FullName;

    [TearDown]
    public void DeleteDir() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Chaos_ToolKilled_EveryReplicaProcessExitsOnItsOwn()
    {
        int basePort = FreePorts.FindConsecutive(12);
        await using IinetProcess chaos = IinetProcess.Start("chaos", "--replicas", "4", "--duration", "600", "--nemesis", "pause", "--out", _dir,
            "--base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        IReadOnlyList<int> replicas = [];
        try
        {
            // Every replica process runs (each printed its first line) before the tool dies.
            var waited = Stopwatch.StartNew();
            while ((replicas = ReplicaProcesses()).Count < 4 || !Enumerable.Range(0, 4).All(Started))
            {
                Assert.That(chaos.HasExited, Is.False, chaos.Transcript);
                Assert.That(waited.Elapsed, Is.LessThan(TimeSpan.FromSeconds(180)),
                    $"4 replica processes did not start within 180 s (found {replicas.Count}):\n{chaos.Transcript}");
                await Task.Delay(200);
            }

            using (Process tool = Process.GetProcessById(chaos.Id))
            {
                tool.Kill(); // SIGKILL: the tool's own handlers never run
            }

            await chaos.WaitForExitAsync(TimeSpan.FromSeconds(30));
            waited.Restart();
            while (replicas.Any(ParentWatch.IsAlive) && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }

            TestContext.Out.WriteLine($"replica processes {string.Join(", ", replicas)} gone {waited.Elapsed.TotalSeconds:0.0} s after the tool was killed");
            Assert.That(replicas.Where(ParentWatch.IsAlive), Is.Empty, "every replica stopped within 60 s of its parent's death");
        }
        finally
        {
            foreach (int pid in replicas.Where(ParentWatch.IsAlive))
            {
                using Process leaked = Process.GetProcessById(pid);
                leaked.Kill();
            }
        }
    }

    private bool Started(int i)
    {
        string log = Path.Combine(_dir, $"node-{i}.log");
        try
        {
            return File.Exists(log) && File.ReadAllText(log).Contains("starting replica", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    // The `iinet node` processes of this run: their command lines name its genesis directory.
    private List<int> ReplicaProcesses()
    {
        var pids = new List<int>();
        foreach (string proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out int pid))
            {
                continue;
            }

            try
            {
                string[] args = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0');
                if (args.Contains("node") && args.Any(a => a.StartsWith(Path.Combine(_dir, "genesis"), StringComparison.Ordinal)) && ParentWatch.IsAlive(pid))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }
}
