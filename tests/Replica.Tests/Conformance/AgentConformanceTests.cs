using System.Net;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Replica.Tests.Conformance;

/// <summary>Drives tests/js/conformance-agent.mjs (unmodified @dfinity/agent 3.4.3) against an in-process 4-replica subnet.</summary>
[NonParallelizable]
public class AgentConformanceTests
{
    [Test]
    public async Task ConformanceScript_UnmodifiedAgent_WhoamiDirectAndThroughDelegation()
    {
        await using LocalSubnet subnet = await LocalSubnet.StartAsync(TestSubnets.Create(4), SubnetCanisters.Create, TimeProvider.System, IPAddress.Loopback, 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await subnet.WaitUntilCertifiedAsync(cts.Token);
        string url = subnet.Url.ToString().TrimEnd('/');
        string output = await Task.Run(() => NodeScript.Run("conformance-agent.mjs", "", url));
        JsonNode result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        Assert.That(result["ok"]!.GetValue<bool>(), Is.True, output);
        Assert.That(result["rootKey"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexStringLower(subnet.Config.RootKeyDer)));

        // The script's identity is Ed25519KeyIdentity.generate(seed 1..32): its principal is the self-authenticating id.
        byte[] seed = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        Principal expected = Principal.SelfAuthenticating(DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(seed)));
        Assert.That(result["updateWhoami"]!.GetValue<string>(), Is.EqualTo(expected.ToString()));
        Assert.That(result["queryWhoami"]!.GetValue<string>(), Is.EqualTo(expected.ToString()));
        Assert.That(result["delegatedWhoami"]!.GetValue<string>(), Is.EqualTo(expected.ToString()));
        Assert.That(result["expiredDelegationError"]!.GetValue<string>(), Does.Contain("400").And.Contain("expired"));
        Assert.That(result["missingMethodError"]!.GetValue<string>(), Does.Contain("400").And.Contain($"has no update method 'no_such_method'"));
        Assert.That(result["subnetId"]!.GetValue<string>(), Is.EqualTo(subnet.Config.SubnetId.ToString()));
        Assert.That(result["nodeKeys"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(result["candid"]!.GetValue<string>(), Is.EqualTo(Canisters.WhoamiCanister.CandidService));
    }
}
