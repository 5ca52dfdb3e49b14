using System.Diagnostics;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests;

/// <summary>samples/research/run.sh, as a researcher runs it (2 seeds): every fault class's row, and a verified certificate.</summary>
[NonParallelizable]
public class ResearchSampleTests
{
    [Test]
    public async Task RunSh_TwoSeeds_TableOfEveryFaultClassAndAValidCertificate()
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { Path.Combine("samples", "research", "run.sh"), "2", "10" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("samples/research/run.sh did not finish within 8 minutes:\n" + await stderr);
        }

        string output = await stdout;
        Assert.That(process.ExitCode, Is.EqualTo(0), output + await stderr);
        foreach (string faults in new[] { "none", "crash", "partition", "byzantine", "mixed" })
        {
            Assert.That(output, Does.Match($@"\| n=4 faulty=1 {faults} \| 2 \| \d+ \|.* \| 0 \|"), $"the {faults} row, with no violation");
        }

        Assert.That(output, Does.Contain("valid: time "), output);
        Assert.That(output, Does.Contain("certified_data = 0x"), output);
    }
}
