using System.Diagnostics;

namespace InternetIdentity.Cli.Tests;

[Parallelizable(ParallelScope.Children)]
public class SimulateCommandTests
{
    private static (int Exit, string Out, string Err) Iinet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "iinet.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        using Process p = Process.Start(start)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(120_000), Is.True, "iinet simulate timed out");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Test]
    public void Simulate_SeedsWithFaultsUpToF_SummaryTableAndExitZero()
    {
        (int exit, string output, string err) = Iinet("simulate", "--replicas", "4", "--faulty", "1", "--faults", "mixed", "--seeds", "3", "--first-seed", "5", "--heights", "15");
        Assert.That(exit, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Contain("| configuration | seeds | heights finalized | latency p50 (ms) | latency p99 (ms) | messages/height |"));
        Assert.That(output, Does.Contain("| n=4 faulty=1 mixed | 3 |"));
        Assert.That(err, Does.Contain("seed 5 (1/3)").And.Contain("seed 7 (3/3)"), "progress goes to stderr");
        Assert.That(output, Does.Not.Contain("seed 5 (1/3)"));
    }

    [Test]
    public void Simulate_SameSeedTwice_SameOutput()
    {
        string[] args = ["simulate", "--replicas", "7", "--faults", "byzantine", "--heights", "12", "--seed", "42"];
        (int exit1, string out1, _) = Iinet(args);
        (int exit2, string out2, _) = Iinet(args);
        Assert.That((exit1, exit2), Is.EqualTo((0, 0)));
        Assert.That(out2, Is.EqualTo(out1));
        Assert.That(out1, Does.Contain("| n=7 faulty=2 byzantine | 1 |"));
    }

    [Test]
    public void Simulate_MoreThanFByzantine_ViolationSeedTraceAndExitOne()
    {
        (int exit, string output, _) = Iinet("simulate", "--replicas", "4", "--faulty", "2", "--faults", "byzantine", "--seeds", "6", "--heights", "30");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Match(@"violation with seed \d+: "));
        Assert.That(output, Does.Contain("--seed "), "the replay command is printed");
        Assert.That(output, Does.Match(@"\| n=4 faulty=2 byzantine \| 6 \| \d+ \| \d+ \| \d+ \| [\d.]+ \| \d+ \| [1-6] \|"));
    }

    [TestCase("--faults", "sometimes")]
    [TestCase("--replicas", "0")]
    [TestCase("--heights", "0")]
    [TestCase("--faulty", "4")]
    public void Simulate_BadOption_ExitTwoWithOneLine(string option, string value)
    {
        (int exit, string output, string err) = Iinet("simulate", option, value);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(err, Does.StartWith("iinet simulate: "));
    }

    [Test]
    public void Simulate_SeedAndSeeds_ExitTwo()
    {
        (int exit, _, string err) = Iinet("simulate", "--seed", "3", "--seeds", "4");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err, Does.Contain("either --seed or --seeds"));
    }
}
