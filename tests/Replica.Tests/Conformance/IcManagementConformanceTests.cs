using System.Net;
using System.Text.Json.Nodes;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Tests.Execution;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Replica.Tests.Conformance;

/// <summary>
/// Drives tests/js-ic-management/ic-management.mjs (unmodified @dfinity/ic-management 9.0.1 on @icp-sdk/core 4) against
/// an in-process 4-replica subnet: create, install a Motoko counter, canister_status, update_settings, stop/start, delete.
/// </summary>
[NonParallelizable]
public class IcManagementConformanceTests
{
    [Test]
    public async Task IcManagementScript_Unmodified_CreatesInstallsSettlesStopsStartsAndDeletes()
    {
        await using LocalSubnet subnet = await LocalSubnet.StartAsync(TestSubnets.Create(4), SubnetCanisters.Create, TimeProvider.System, IPAddress.Loopback, 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await subnet.WaitUntilCertifiedAsync(cts.Token);
        string wasm = Path.Combine(Path.GetTempPath(), $"iinet-counter-{Guid.NewGuid():N}.wasm");
        await File.WriteAllBytesAsync(wasm, MotokoCanisters.Counter);
        try
        {
            string url = subnet.Url.ToString().TrimEnd('/');
            NodeResult run = await Task.Run(() => NodeScript.Execute(Path.Combine(RepoPaths.Root, "tests", "js-ic-management"), "ic-management.mjs", "",
                TimeSpan.FromMinutes(3), null, url, wasm));
            JsonNode result = JsonNode.Parse(run.StandardOutput.Trim().Split('\n')[^1])!;
            Assert.That(result["ok"]!.GetValue<bool>(), Is.True, run.StandardOutput + run.StandardError);
            string id = result["canisterId"]!.GetValue<string>();
            Assert.That(result["inc"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(result["status"]!.GetValue<string>(), Is.EqualTo("running"));
            Assert.That(result["moduleHashMatches"]!.GetValue<bool>(), Is.True);
            Assert.That(result["controllers"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(result["freezingThreshold"]!.GetValue<int>(), Is.EqualTo(1234));
            Assert.That(result["stoppedStatus"]!.GetValue<string>(), Is.EqualTo("stopped"));
            Assert.That(result["stoppedCall"]!.GetValue<string>(), Does.Contain($"Canister {id} is stopped"));
            Assert.That(result["afterStart"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(result["afterDelete"]!.GetValue<string>(), Does.Contain($"Canister {id} not found"));
        }
        finally
        {
            File.Delete(wasm);
        }
    }
}
