using System.Diagnostics;
using InternetIdentity.Agent.Http;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.TestSupport;
using InternetIdentity.Testing.NUnit;

namespace InternetIdentity.Testing.Tests;

/// <summary>Runs samples/dotnet-agent (built with this project) against a LocalNetwork, as a developer runs it against <c>iinet up</c>.</summary>
[TestFixture]
public sealed class DotnetAgentSampleTests : LocalNetworkFixture
{
    protected override LocalNetworkOptions NetworkOptions => new() { Replicas = 4, IiCaptcha = true, IiDummyAuth = true };

    [Test]
    public async Task Main_AgainstALocalNetwork_PrintsThePrincipalWhoamiAnswered()
    {
        (int exit, string stdout, string stderr) = await RunAsync("--url", Network.Url.ToString(), "--origin", "https://dapp.example");

        Assert.That(exit, Is.Zero, stderr);
        string principalLine = stdout.Split('\n').Single(l => l.StartsWith("principal", StringComparison.Ordinal));
        Principal principal = Principal.Parse(principalLine["principal".Length..].Trim());
        ulong anchor = ulong.Parse(stdout.Split('\n').Single(l => l.StartsWith("anchor", StringComparison.Ordinal))["anchor".Length..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        using HttpAgent agent = Network.CreateAgent();
        Assert.That(await new Agent.Canisters.InternetIdentityClient(agent).LookupAsync(anchor), Has.Length.EqualTo(1), "the sample registered the anchor with one device");
        Assert.That(principal, Is.Not.EqualTo(Principal.Anonymous), "whoami answered a signed-in caller (the sample checks it is the delegation's principal)");
    }

    [Test]
    public async Task Main_BadArguments_ExitsTwoWithUsage()
    {
        (int exit, _, string stderr) = await RunAsync("--url", "not a url");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("--url"));
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        string dll = Path.Combine(RepoPaths.Root, "samples", "dotnet-agent", "bin", Configuration, "net10.0", "DotnetAgentSample.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} is built with this test project");
        var start = new ProcessStartInfo(IinetProcess.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("samples/dotnet-agent did not exit within 120 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
}
