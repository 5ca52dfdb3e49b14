using System.Text.RegularExpressions;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>
/// Base of the browser fixtures against a real local network: one `iinet up` child process per fixture (on free
/// ports, its own data directory, <see cref="UpArguments"/> passed through, e.g. <c>--assets DIR</c> or
/// <c>--ii-dummy-auth</c>), Chromium as in <see cref="ChromiumTest"/>. When a test fails, iinet's output so far is
/// printed with it.
/// </summary>
public abstract partial class IinetBrowserTest : ChromiumTest
{
    /// <summary>Internet Identity's canister id.</summary>
    public const string IiCanisterId = "rdmx6-jaaaa-aaaaa-aaadq-cai";

    /// <summary>The whoami canister's id.</summary>
    public const string WhoamiCanisterId = "rwlgt-iiaaa-aaaaa-aaaaa-cai";

    private string _dataDir = "";
    private IinetProcess? _iinet;

    /// <summary>Extra arguments of `iinet up` (after --port, --replicas and --data-dir).</summary>
    protected virtual IReadOnlyList<string> UpArguments => [];

    /// <summary>How many replicas the subnet runs (one keeps a browser test fast; the protocol is the same).</summary>
    protected virtual int Replicas => 1;

    /// <summary>
    /// Whether <see cref="BeforeUp"/> must run with the base port before `iinet up` starts (the port is then picked
    /// once, not retried when another process takes it first).
    /// </summary>
    protected virtual bool NeedsPortBeforeUp => false;

    /// <summary>The running `iinet up`.</summary>
    internal IinetProcess Iinet => _iinet ?? throw new InvalidOperationException("iinet up is started in OneTimeSetUp");

    /// <summary>The HTTP port of replica 0 (the gateway's port).</summary>
    protected int Port => Iinet.Port;

    /// <summary>A canister's pages as the gateway serves them: <c>http://&lt;canister-id&gt;.localhost:&lt;port&gt;&lt;path&gt;</c>.</summary>
    protected Uri CanisterUrl(string canisterId, string path = "/") => new($"http://{canisterId}.localhost:{Port}{path}");

    /// <summary>II's frontend (passkeys work there; not on 127.0.0.1).</summary>
    protected Uri IiUrl => CanisterUrl(IiCanisterId);

    /// <summary>Starts `iinet up` and waits for its ready line.</summary>
    [OneTimeSetUp]
    public async Task StartIinetAsync()
    {
        _dataDir = Directory.CreateTempSubdirectory("iinet-browser-").FullName;
        int? port = null;
        if (NeedsPortBeforeUp)
        {
            port = FreePorts.FindConsecutive(2 * Replicas);
            BeforeUp(port.Value);
        }

        _iinet = await IinetProcess.StartUpAsync(_dataDir, Replicas, port, extraArgs: [.. UpArguments]);
    }

    /// <summary>
    /// Prepares what must name the subnet's own origins, e.g. an assets folder's <c>.well-known/ii-alternative-origins</c>
    /// (sites are copied when the subnet is created); runs only when <see cref="NeedsPortBeforeUp"/>.
    /// </summary>
    protected virtual void BeforeUp(int port)
    {
    }

    /// <summary>
    /// The URL `iinet up --assets DIR` printed, before its ready line, for the <paramref name="index"/>-th folder's assets
    /// canister (a line <c>assets       http://&lt;canister-id&gt;.localhost:&lt;port&gt;/</c>); fails with iinet's output when there is none.
    /// </summary>
    protected Uri AssetsUrl(int index = 0)
    {
        int seen = 0;
        foreach (string line in Iinet.StandardOutput.Split('\n'))
        {
            Match m = AssetsLine().Match(line.TrimEnd('\r'));
            if (m.Success && seen++ == index)
            {
                return new Uri(m.Groups[1].Value);
            }
        }

        Assert.Fail($"iinet up printed no `assets  http://...` line number {index}:\n" + Iinet.Transcript);
        return null!; // unreachable: Assert.Fail throws
    }

    /// <summary>On failure, prints what iinet said so far.</summary>
    [TearDown]
    public void PrintIinetOutputOnFailure()
    {
        if (_iinet is not null && TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine(_iinet.Transcript);
        }
    }

    /// <summary>Stops `iinet up` (Ctrl-C) and deletes its data directory.</summary>
    [OneTimeTearDown]
    public async Task StopIinetAsync()
    {
        if (_iinet is not null)
        {
            int exit = await _iinet.StopAsync();
            if (exit != 0)
            {
                TestContext.Out.WriteLine(_iinet.Transcript);
            }

            await _iinet.DisposeAsync();
        }

        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [GeneratedRegex(@"^assets\s+(http://\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex AssetsLine();
}
