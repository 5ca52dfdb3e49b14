using System.Text.RegularExpressions;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests.Up;

/// <summary>`iinet up` as a child process: ready line, HTTP status, Ctrl-C, and a restart on the same data directory.</summary>
[TestFixture]
[NonParallelizable]
public sealed class UpProcessTests
{
    private static readonly Regex s_rootKey = new("^root_key +([0-9a-f]+)$", RegexOptions.CultureInvariant);
    private static readonly Regex s_url = new("^url +(http://\\S+)$", RegexOptions.CultureInvariant);
    private static readonly Regex s_subnet = new("^subnet_id +(\\S+)$", RegexOptions.CultureInvariant);

    private string _dataDir = "";

    [SetUp]
    public void CreateDataDir() => _dataDir = Directory.CreateTempSubdirectory("iinet-up-").FullName;

    [TearDown]
    public void DeleteDataDir() => Directory.Delete(_dataDir, recursive: true);

    [Test]
    public async Task Up_SigintAfterReady_ServesStatusAndExitsZero()
    {
        await using IinetProcess up = await IinetProcess.StartUpAsync(_dataDir);
        string rootKey = (await up.WaitForLineAsync(s_rootKey)).Groups[1].Value;
        string url = (await up.WaitForLineAsync(s_url)).Groups[1].Value;
        Assert.That(url, Is.EqualTo($"http://127.0.0.1:{up.Port}"), up.Transcript);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using HttpResponseMessage status = await http.GetAsync(url + "/api/v2/status");
        byte[] body = await status.Content.ReadAsByteArrayAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)status.StatusCode, Is.EqualTo(200), up.Transcript);
            Assert.That(status.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/cbor"));
            Assert.That(Convert.ToHexStringLower(StatusResponse.Decode(body).RootKey ?? []), Is.EqualTo(rootKey));
        });

        Assert.That(await up.StopAsync(), Is.EqualTo(0), up.Transcript);
        Assert.That(up.StandardError, Does.Not.Contain("Exception").And.Not.Contain("internal error"), up.Transcript);
        Assert.That(up.StandardOutput, Does.Contain("stopping"), up.Transcript);
    }

    [Test]
    public async Task Up_SigintBeforeReady_StopsCleanlyAndExitsZero()
    {
        int port = FreePorts.FindConsecutive(8);
        await using IinetProcess up = IinetProcess.Start("up", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", _dataDir);
        await up.WaitForLineAsync(new Regex("^starting 4 replica", RegexOptions.CultureInvariant));
        up.Interrupt();
        Assert.That(await up.WaitForExitAsync(), Is.EqualTo(0), up.Transcript);
        Assert.That(up.StandardError, Does.Not.Contain("internal error").And.Not.Contain("Exception"), up.Transcript);
        Assert.That(up.StandardOutput, Does.Contain("interrupted before the network was ready").And.Not.Contain("ready:"), up.Transcript);
    }

    [Test]
    public async Task Up_BadAssetsFolderOrAlternativeOrigin_ExitsTwoNamingIt()
    {
        string missing = Path.Combine(_dataDir, "no-such-dist");
        await using (IinetProcess up = IinetProcess.Start("up", "--port", "1", "--data-dir", _dataDir, "--assets", missing))
        {
            Assert.That(await up.WaitForExitAsync(), Is.EqualTo(2), up.Transcript);
            Assert.That(up.StandardError, Does.Contain("--assets: cannot use " + missing), up.Transcript);
        }

        string empty = Directory.CreateDirectory(Path.Combine(_dataDir, "empty-dist")).FullName;
        await using IinetProcess second = IinetProcess.Start("up", "--port", "1", "--data-dir", _dataDir, "--assets", empty);
        Assert.That(await second.WaitForExitAsync(), Is.EqualTo(2), second.Transcript);
        Assert.That(second.StandardError, Does.Contain($"--assets: {empty} has no files to serve"), second.Transcript);
        await using IinetProcess third = IinetProcess.Start("up", "--port", "1", "--data-dir", _dataDir, "--ii-alternative-origins", "https://dapp.example/app");
        Assert.That(await third.WaitForExitAsync(), Is.EqualTo(2), third.Transcript);
        Assert.That(third.StandardError, Does.Contain("--ii-alternative-origins: alternative_origins: https://dapp.example/app is not an origin"), third.Transcript);
    }

    [Test]
    public async Task Up_PortTaken_ExitsTwoSayingCannotListen()
    {
        // IinetProcess.StartUpAsync retries on exactly this message when another process takes a port first.
        int port = FreePorts.FindConsecutive(8);
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port + 1);
        taken.Start();
        await using IinetProcess up = IinetProcess.Start("up", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data-dir", _dataDir);
        Assert.That(await up.WaitForExitAsync(), Is.EqualTo(2), up.Transcript);
        Assert.That(up.StandardError, Does.Contain("cannot listen"), up.Transcript);
    }

    [Test]
    public async Task Up_RestartOnSameDataDir_SameSubnetRootKeyAndIiSettings()
    {
        string firstKey, firstSubnet;
        int port;
        await using (IinetProcess first = await IinetProcess.StartUpAsync(_dataDir, extraArgs: ["--ii-dummy-auth"]))
        {
            Assert.That(first.StandardOutput, Does.Contain("ii           rdmx6-jaaaa-aaaaa-aaadq-cai (dummy auth on, captcha off)"), first.Transcript);
            firstKey = (await first.WaitForLineAsync(s_rootKey)).Groups[1].Value;
            firstSubnet = (await first.WaitForLineAsync(s_subnet)).Groups[1].Value;
            port = first.Port;
            Assert.That(first.StandardOutput, Does.Contain("created a new subnet"), first.Transcript);
            Assert.That(await first.StopAsync(), Is.EqualTo(0), first.Transcript);
        }

        await using IinetProcess second = await IinetProcess.StartUpAsync(_dataDir, port: port);
        string secondKey = (await second.WaitForLineAsync(s_rootKey)).Groups[1].Value;
        string secondSubnet = (await second.WaitForLineAsync(s_subnet)).Groups[1].Value;
        Assert.Multiple(() =>
        {
            Assert.That(secondKey, Is.EqualTo(firstKey), second.Transcript);
            Assert.That(secondSubnet, Is.EqualTo(firstSubnet), second.Transcript);
            Assert.That(second.StandardOutput, Does.Not.Contain("created a new subnet"), second.Transcript);
            // II keeps what it was created with, and says so when the flags differ.
            Assert.That(second.StandardOutput, Does.Contain("(dummy auth on, captcha off)"), second.Transcript);
            Assert.That(second.StandardOutput, Does.Contain("keeps the settings this subnet was created with"), second.Transcript);
        });
        Assert.That(await second.StopAsync(), Is.EqualTo(0), second.Transcript);
    }
}
