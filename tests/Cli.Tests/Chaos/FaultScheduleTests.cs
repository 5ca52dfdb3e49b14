using InternetIdentity.Cli.Chaos;

namespace InternetIdentity.Cli.Tests.Chaos;

public sealed class FaultScheduleTests
{
    private static readonly FaultKind[] s_all = Enum.GetValues<FaultKind>();

    [Test]
    public void Create_SameSeed_SameSchedule()
    {
        IReadOnlyList<Fault> a = FaultSchedule.Create(42, TimeSpan.FromMinutes(5), s_all, 7);
        IReadOnlyList<Fault> b = FaultSchedule.Create(42, TimeSpan.FromMinutes(5), s_all, 7);
        Assert.That(a, Has.Count.GreaterThan(5));
        Assert.That(a.Select(f => f.ToString()), Is.EqualTo(b.Select(f => f.ToString())));
    }

    [Test]
    public void Create_OtherSeed_OtherSchedule()
    {
        IReadOnlyList<Fault> a = FaultSchedule.Create(1, TimeSpan.FromMinutes(5), s_all, 7);
        IReadOnlyList<Fault> b = FaultSchedule.Create(2, TimeSpan.FromMinutes(5), s_all, 7);
        Assert.That(a.Select(f => f.ToString()), Is.Not.EqualTo(b.Select(f => f.ToString())));
    }

    [Test]
    public void Create_AnySeed_FaultsOneAtATimeOnAtMostFHonestReplicasWithinTheRun()
    {
        for (int seed = 0; seed < 50; seed++)
        {
            IReadOnlyList<Fault> faults = FaultSchedule.Create(seed, TimeSpan.FromSeconds(120), s_all, 7, byzantine: [6]);
            for (int i = 0; i < faults.Count; i++)
            {
                Fault f = faults[i];
                Assert.That(f.Targets, Has.Count.InRange(1, 1), $"seed {seed}: f = 2 minus one Byzantine replica leaves one: {f}");
                Assert.That(f.Targets, Has.None.EqualTo(6), $"seed {seed}: the Byzantine replica is no target: {f}");
                Assert.That(f.HealAt + FaultSchedule.Timing.Default.Tail, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(120)), $"seed {seed}: {f}");
                Assert.That(i == 0 || faults[i - 1].HealAt < f.At, Is.True, $"seed {seed}: {f} starts before the previous fault healed");
                Assert.That(f.Kind == FaultKind.Clock ? Math.Abs(f.ClockOffsetMs) : 1000, Is.InRange(1000, FaultSchedule.MaxClockOffsetMs), $"seed {seed}: {f}");
            }
        }
    }

    [Test]
    public void Create_NoKinds_NoFaults() =>
        Assert.That(FaultSchedule.Create(1, TimeSpan.FromMinutes(5), [], 4), Is.Empty);

    [Test]
    public void ParseKinds_UnknownName_SaysWhichAreKnown()
    {
        Assert.That(Fault.ParseKinds("kill, pause,kill"), Is.EqualTo(new[] { FaultKind.Kill, FaultKind.Pause }));
        CliInputException e = Assert.Throws<CliInputException>(() => Fault.ParseKinds("kill,explode"))!;
        Assert.That(e.Message, Does.Contain("'explode'").And.Contain("partition"));
    }

    [Test]
    public void Recovery_TargetsReachTheHeightAtHeal_SecondsAfterHeal()
    {
        var outcome = new FaultOutcome(new Fault(FaultKind.Kill, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), [1]), 1, 3, 10, null);
        HeightSample[] samples = [new(3.5, 1, null, null), new(4.0, 0, 12, "healthy"), new(5.0, 1, 9, "healthy"), new(6.5, 1, 10, "healthy")];
        Assert.That(ChaosRun.Recovery(samples, outcome, TimeSpan.FromSeconds(10)), Is.EqualTo(3.5));
        Assert.That(ChaosRun.Recovery(samples, outcome, TimeSpan.FromSeconds(2)), Is.Null, "not within the bound: a stall");
    }
}
