using System.Reflection;

namespace InternetIdentity.Architecture.Tests;

/// <summary>DESIGN.md "Projects and their arrows": references point one way; a client never links replica code.</summary>
public class ArrowTests
{
    private static string[] OurReferences(string assembly) =>
        [.. Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, assembly + ".dll")).GetReferencedAssemblies()
            .Select(a => a.Name!).Where(n => n.StartsWith("InternetIdentity.", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    [Test]
    public void Agent_References_ProtocolOnly() =>
        Assert.That(OurReferences("InternetIdentity.Agent"), Is.EqualTo(new[] { "InternetIdentity.Protocol" }));

    [Test]
    public void CanisterRuntime_References_ProtocolOnly() =>
        Assert.That(OurReferences("InternetIdentity.CanisterRuntime"), Is.EqualTo(new[] { "InternetIdentity.Protocol" }));

    [Test]
    public void PocketIc_References_ReplicaAndBelowNeverTestingOrAgent() =>
        Assert.That(OurReferences("InternetIdentity.PocketIc"), Is.SubsetOf(new[]
        {
            "InternetIdentity.Replica", "InternetIdentity.Protocol", "InternetIdentity.Consensus", "InternetIdentity.IdentityCanister",
            "InternetIdentity.CanisterRuntime", "InternetIdentity.ThresholdSigning",
        }).And.Contains("InternetIdentity.Replica"));

    [Test]
    public void PureCore_References_OnlyLowerPureCoreProjects()
    {
        Assert.That(OurReferences("InternetIdentity.ThresholdSigning"), Is.Empty);
        Assert.That(OurReferences("InternetIdentity.Protocol"), Is.SubsetOf(new[] { "InternetIdentity.ThresholdSigning" }));
        Assert.That(OurReferences("InternetIdentity.IdentityCanister"), Is.SubsetOf(new[] { "InternetIdentity.Protocol", "InternetIdentity.ThresholdSigning" }));
        Assert.That(OurReferences("InternetIdentity.Consensus"), Is.SubsetOf(new[] { "InternetIdentity.Protocol", "InternetIdentity.ThresholdSigning" }));
    }
}
