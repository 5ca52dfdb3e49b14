using System.Net;
using System.Text.Json.Nodes;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Tests.Execution;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Replica.Tests.Conformance;

/// <summary>
/// Drives tests/js/management-agent.mjs (unmodified @dfinity/agent 3.4.3 over the management canister's ic.did) against
/// an in-process 4-replica subnet: create, install a Motoko counter, call, query, canister_status, upgrade, refusal.
/// </summary>
[NonParallelizable]
public class ManagementAgentConformanceTests
{
    [Test]
    public async Task ManagementScript_UnmodifiedAgent_CreatesInstallsCallsAndUpgrades()
    {
        await using LocalSubnet subnet = await LocalSubnet.StartAsync(TestSubnets.Create(4), SubnetCanisters.Create, TimeProvider.System, IPAddress.Loopback, 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await subnet.WaitUntilCertifiedAsync(cts.Token);
        string wasm = Path.Combine(Path.GetTempPath(), $"iinet-counter-{Guid.NewGuid():N}.wasm");
        await File.WriteAllBytesAsync(wasm, MotokoCanisters.Counter);
        try
        {
            string url = subnet.Url.ToString().TrimEnd('/');
            string output = await Task.Run(() => NodeScript.Run("management-agent.mjs", "", url, wasm));
            JsonNode result = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
            Assert.That(result["ok"]!.GetValue<bool>(), Is.True, output);
            string id = result["canisterId"]!.GetValue<string>();
            using (var caughtUp = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                await subnet.WaitUntilAllCaughtUpAsync(caughtUp.Token);
            }

            Assert.That(subnet.Replicas.Select(r => r.HasCanister(Protocol.Principals.Principal.Parse(id))), Is.All.True);
            Assert.That(result["afterInc"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(result["query"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(result["status"]!.GetValue<string>(), Is.EqualTo("running"));
            Assert.That(result["moduleHashMatches"]!.GetValue<bool>(), Is.True);
            Assert.That(result["afterUpgrade"]!.GetValue<int>(), Is.EqualTo(2), "the upgrade kept the count");
            Assert.That(result["strangerError"]!.GetValue<string>(), Does.Contain("IC0512").And.Contain($"Only the controllers of the canister {id} can control it."));
        }
        finally
        {
            File.Delete(wasm);
        }
    }
}
