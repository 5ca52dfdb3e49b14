using System.Numerics;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Execution;
using InternetIdentity.TestSupport;
using static InternetIdentity.PocketIc.Tests.PocketIcTestClient;

namespace InternetIdentity.PocketIc.Tests;

/// <summary>
/// An instance made with our <c>iinet_charge_cycles</c> extension: a Motoko counter pays the IC's fees on every replica
/// alike, runs out with IC0207, and <c>add_cycles</c> brings it back.
/// </summary>
[NonParallelizable]
public class ChargingInstanceTests : PocketIcServerFixture
{
    private static readonly Principal s_alice = Principal.SelfAuthenticating([7, 8, 9]);
    private static readonly byte[] s_noArgs = "DIDL\0\0"u8.ToArray();

    private async Task<BigInteger> CyclesAsync(int instance, Principal canister)
    {
        Answer answer = await Client.PostAsync($"/instances/{instance}/read/get_cycles", new JsonObject { ["canister_id"] = B64(canister) });
        Assert.That(answer.Status, Is.EqualTo(200), answer.Body);
        return BigInteger.Parse(answer.Json!["cycles"]!.ToJsonString());
    }

    [Test]
    public async Task ChargeCycles_Counter_PaysAlikeOnEveryReplicaRunsOutAndAddCyclesRevivesIt()
    {
        JsonObject config = DefaultInstanceConfig(replicas: 4);
        config["iinet_charge_cycles"] = true;
        int instance = await Client.CreateInstanceAsync(config);
        PocketIcInstance running = Server.Instances.Running.Single(i => i.Id == instance);
        Assert.That(running.Config.ChargeCycles, Is.True);

        // Enough for the prepayment of one update plus a little: a few calls, then out of cycles.
        BigInteger initial = 8_025_000_000;
        Principal counter = await InstallCounterAsync(Client, instance, s_alice, initial);
        Assert.That(await CyclesAsync(instance, counter), Is.EqualTo(initial), "installing is free");

        Answer first = await Client.UpdateAsync(instance, Call(s_alice, counter, "inc", s_noArgs));
        Assert.That(first.Json?["Ok"], Is.Not.Null, first.Body);
        BigInteger afterOne = await CyclesAsync(instance, counter);
        Assert.That(afterOne, Is.LessThan(initial - 6_200_000), "induction (1.2M + 2,000 per byte) and execution (5M + 0.4 per instruction)");

        // Every replica executed the same charges (the slowest may need a few more heights to get there).
        UInt128[] Balances() => [.. running.Subnet.Replicas.Select(r => ((HostedCanister)r.Canister(counter)!.Canister).Cycles)];
        for (int tick = 0; tick < 20 && Balances().Distinct().Count() > 1; tick++)
        {
            await running.TickAsync(CancellationToken.None);
        }

        Assert.That(Balances().Distinct().Count(), Is.EqualTo(1), "the replicas agree on the balance within 20 ticks");
        Assert.That((BigInteger)Balances()[0], Is.EqualTo(afterOne));

        Answer refused = first;
        for (int i = 0; i < 10 && refused.Json?["Ok"] is not null; i++)
        {
            refused = await Client.UpdateAsync(instance, Call(s_alice, counter, "inc", s_noArgs));
        }

        JsonNode err = refused.Json?["Err"] ?? throw new AssertionException("never ran out of cycles: " + refused.Body);
        Assert.That(err["reject_code"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(err["error_code"]!.GetValue<int>(), Is.EqualTo(207));
        Assert.That(err["reject_message"]!.GetValue<string>(), Does.StartWith($"Canister {counter} is out of cycles: please top up the canister with at least "));

        Answer added = await Client.PostAsync($"/instances/{instance}/update/add_cycles", new JsonObject { ["canister_id"] = B64(counter), ["amount"] = 1_000_000_000_000 });
        Assert.That(added.Status, Is.EqualTo(200), added.Body);
        Answer revived = await Client.UpdateAsync(instance, Call(s_alice, counter, "inc", s_noArgs));
        Assert.That(revived.Json?["Ok"], Is.Not.Null, revived.Body);
        Assert.That((await Client.DeleteAsync($"/instances/{instance}")).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task CreateInstance_ChargeCyclesNotABool_AnswersErrorShape()
    {
        JsonObject config = DefaultInstanceConfig(replicas: 1);
        config["iinet_charge_cycles"] = "yes";

        Answer answer = await Client.PostAsync("/instances", config);

        Assert.That(answer.Status, Is.EqualTo(400));
        Assert.That(answer.Json!["Error"]!["message"]!.GetValue<string>(), Is.EqualTo("iinet_charge_cycles must be true or false, not \"yes\""));
    }
}
