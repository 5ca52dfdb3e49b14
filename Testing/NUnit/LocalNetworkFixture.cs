using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace InternetIdentity.Testing.NUnit;

/// <summary>
/// An NUnit fixture base with one <see cref="LocalNetwork"/> per fixture: started in [OneTimeSetUp], stopped in
/// [OneTimeTearDown]. When a test fails, the network's log lines written during that test are printed to
/// <see cref="TestContext.Out"/>. With <see cref="ResetBetweenTests"/> every test starts with II empty.
/// </summary>
public abstract class LocalNetworkFixture
{
    private LocalNetwork? _network;
    private long _logMark;
    private int _ranTests;

    /// <summary>The fixture's network (started before the first test).</summary>
    protected LocalNetwork Network => _network ?? throw new InvalidOperationException("the fixture's network is not running (OneTimeSetUp failed or has not run)");

    /// <summary>The options the network starts with; override to change them (default: <c>iinet up</c>'s).</summary>
    protected virtual LocalNetworkOptions NetworkOptions => new();

    /// <summary>
    /// Whether each test after the first starts with II as the network started (<see cref="LocalNetwork.ResetAsync"/>: a
    /// canister snapshot loaded on every replica in one consensus round); default false, so tests share II's state.
    /// </summary>
    protected virtual bool ResetBetweenTests => false;

    /// <summary>Starts the fixture's network.</summary>
    [OneTimeSetUp]
    public async Task StartNetworkAsync()
    {
        _network = await LocalNetwork.StartAsync(NetworkOptions).ConfigureAwait(false);
        TestContext.Progress.WriteLine($"local network of {_network.Options.Replicas} replica(s) at {_network.Url} started in {_network.StartupTime.TotalMilliseconds:0} ms");
    }

    /// <summary>Stops the fixture's network.</summary>
    [OneTimeTearDown]
    public async Task StopNetworkAsync()
    {
        if (_network is { } network)
        {
            _network = null;
            await network.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Resets the network when asked to, and marks where this test's log lines begin.</summary>
    [SetUp]
    public async Task PrepareNetworkAsync()
    {
        if (ResetBetweenTests && _ranTests++ > 0)
        {
            await Network.ResetAsync().ConfigureAwait(false);
        }

        _logMark = Network.Logs.Mark();
    }

    /// <summary>Prints the network's log lines of a failed test.</summary>
    [TearDown]
    public void PrintLogsOnFailure()
    {
        if (_network is { } network && TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Failed)
        {
            IReadOnlyList<string> lines = network.Logs.LinesSince(_logMark);
            TestContext.Out.WriteLine($"--- local network log ({lines.Count} line(s) during the test) ---");
            foreach (string line in lines)
            {
                TestContext.Out.WriteLine(line);
            }
        }
    }
}
