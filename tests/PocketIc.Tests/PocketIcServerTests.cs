using System.IO.Compression;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.Hosting;
using static InternetIdentity.PocketIc.Tests.PocketIcTestClient;

namespace InternetIdentity.PocketIc.Tests;

/// <summary>Every endpoint through <see cref="PocketIcTestClient"/> against one in-process server, with good and bad input.</summary>
[NonParallelizable]
public class PocketIcServerTests : PocketIcServerFixture
{
    private static readonly Principal s_whoami = Principal.CanisterId(0);
    private static readonly Principal s_alice = Principal.SelfAuthenticating([1, 2, 3]);
    private static readonly Principal s_bob = Principal.SelfAuthenticating([4, 5, 6]);
    private static readonly byte[] s_noArgs = "DIDL\0\0"u8.ToArray();
    private int _instance;

    [OneTimeSetUp]
    public async Task CreateInstance()
    {
        _instance = await Client.CreateInstanceAsync();
    }

    private PocketIcInstance Instance => Server.Instances.Running.Single(i => i.Id == _instance);

    private string I => $"/instances/{_instance}";

    // whoami's reply: DIDL 00 01 68 01 <len> <principal bytes>
    private static Principal WhoamiPrincipal(string base64Reply)
    {
        byte[] reply = Convert.FromBase64String(base64Reply);
        Assert.That(reply.AsSpan(0, 7).ToArray(), Is.EqualTo("DIDL\0\u0001\u0068"u8.ToArray()), "a Candid principal reply");
        return Principal.FromBytes(reply.AsSpan(9, reply[8]));
    }

    [Test]
    public async Task CreateInstance_Default_AnswersCreatedWithTopologyOfFourReplicas()
    {
        Answer answer = await Client.GetAsync($"{I}/_/topology");
        JsonNode subnet = answer.Json!["subnet_configs"]!.AsObject().Single().Value!;

        Assert.That(answer.Status, Is.EqualTo(200));
        Assert.That(subnet["subnet_kind"]!.GetValue<string>(), Is.EqualTo("Application"));
        Assert.That(subnet["size"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(answer.Json!["subnet_configs"]!.AsObject().Single().Key, Is.EqualTo(Instance.SubnetId.ToString()));
        Assert.That(subnet["canister_ranges"]![0]!["start"]!["canister_id"]!.GetValue<string>(), Is.EqualTo(B64(Principal.CanisterId(0))));
        Assert.That(answer.Json!["default_effective_canister_id"]!["canister_id"]!.GetValue<string>(), Is.EqualTo(B64(Principal.CanisterId(0))));
        Assert.That((await Client.GetAsync($"{I}/read/topology")).Body, Is.EqualTo(answer.Body));
    }

    [Test]
    public async Task CreateInstance_TwoSubnets_AnswersErrorShape()
    {
        JsonObject config = DefaultInstanceConfig();
        config["subnet_config_set"]!["nns"] = new JsonObject { ["state_config"] = "New" };

        Answer answer = await Client.PostAsync("/instances", config);

        Assert.That(answer.Status, Is.EqualTo(400));
        Assert.That(answer.Json!["Error"]!["message"]!.GetValue<string>(), Does.Contain("one subnet per instance").And.Contain("NNS, Application"));
    }

    [Test]
    public async Task CreateInstance_NoSubnet_AnswersErrorShape()
    {
        Answer answer = await Client.PostAsync("/instances", new JsonObject { ["subnet_config_set"] = new JsonObject() });

        Assert.That(answer.Status, Is.EqualTo(400));
        Assert.That(answer.Json!["Error"]!["message"]!.GetValue<string>(), Is.EqualTo("At least one subnet must be configured."));
    }

    [Test]
    public async Task CreateInstance_MalformedJson_Answers400InAxumsWords()
    {
        Answer answer = await Client.PostRawAsync("/instances", "{\"subnet_config_set\":", "application/json");

        Assert.That(answer.Status, Is.EqualTo(400));
        Assert.That(answer.Body, Does.StartWith("Failed to parse the request body as JSON: "));
    }

    [Test]
    public async Task CreateInstance_NotJsonContentType_Answers415()
    {
        Answer answer = await Client.PostRawAsync("/instances", "{}", "text/plain");

        Assert.That(answer.Status, Is.EqualTo(415));
        Assert.That(answer.Body, Is.EqualTo("Expected request with `Content-Type: application/json`"));
    }

    [Test]
    public async Task InstanceLifecycle_CreateListDelete_DeletedInstanceSaysSo()
    {
        int id = await Client.CreateInstanceAsync(DefaultInstanceConfig(replicas: 1));
        Assert.That((await Client.GetAsync("/instances")).Json!.AsArray()[id]!.GetValue<string>(), Is.EqualTo("Available"));
        Assert.That(Server.Instances.Running.Single(i => i.Id == id).Subnet.Replicas, Has.Count.EqualTo(1));

        Answer deleted = await Client.DeleteAsync($"/instances/{id}");
        Answer after = await Client.GetAsync($"/instances/{id}/read/get_time");

        Assert.That(deleted.Status, Is.EqualTo(200));
        Assert.That((await Client.GetAsync("/instances")).Json!.AsArray()[id]!.GetValue<string>(), Is.EqualTo("Deleted"));
        Assert.That(after.Status, Is.EqualTo(400));
        Assert.That(after.Message, Is.EqualTo("Instance was deleted"));
    }

    [Test]
    public async Task AnyInstanceRoute_UnknownInstance_Answers400InstanceNotFound()
    {
        Answer answer = await Client.PostAsync("/instances/999/update/tick", new JsonObject());

        Assert.That(answer.Status, Is.EqualTo(400));
        Assert.That(answer.Message, Is.EqualTo("Instance not found"));
    }

    [Test]
    public async Task AnyInstanceRoute_InstanceIdNotANumber_Answers400()
    {
        Answer answer = await Client.GetAsync("/instances/abc/read/get_time");

        Assert.That(answer.Status, Is.EqualTo(400));
        Assert.That(answer.Body, Is.EqualTo("Invalid URL: Cannot parse `abc` to a `u64`"));
    }

    [Test]
    public async Task SetTime_ThenTick_CanistersSeeTheTimeOnlyAfterTheTick()
    {
        ulong target = await Client.GetTimeAsync(_instance) + 3_600_000_000_123; // not a whole millisecond: kept to the nanosecond

        Answer set = await Client.PostAsync($"{I}/update/set_time", new JsonObject { ["nanos_since_epoch"] = target });
        ulong certifiedBefore = Instance.Subnet.Replicas[0].Latest!.TimeNanos;
        Answer tick = await Client.PostAsync($"{I}/update/tick", new JsonObject());

        Assert.That(set.Status, Is.EqualTo(200));
        Assert.That(set.Body, Is.EqualTo("null"));
        Assert.That(tick.Status, Is.EqualTo(200));
        Assert.That(await Client.GetTimeAsync(_instance), Is.EqualTo(target + 1), "as PocketIC: after the tick the time stands 1 ns later");
        Assert.That(certifiedBefore, Is.LessThan(target), "set_time alone certifies nothing");
        Assert.That(Instance.Subnet.Replicas.Select(r => r.Latest!.TimeNanos), Is.All.EqualTo(target), "the tick's height carries exactly the time set");
    }

    [Test]
    public async Task Tick_TimeNotMoved_OneHeightOnEveryReplicaAndOneNanosecondLater()
    {
        await Client.PostAsync($"{I}/update/tick", new JsonObject());
        ulong before = await Client.GetTimeAsync(_instance);
        ulong height = Instance.Subnet.Replicas[0].Latest!.Height;

        Answer tick = await Client.PostAsync($"{I}/update/tick", new JsonObject());
        Answer second = await Client.PostAsync($"{I}/update/tick", new JsonObject());

        Assert.That((tick.Status, second.Status), Is.EqualTo((200, 200)));
        Assert.That(Instance.Subnet.Replicas.Select(r => r.Latest!.Height), Is.All.EqualTo(height + 2));
        Assert.That(Instance.Subnet.Replicas.Select(r => r.Latest!.TimeNanos), Is.All.EqualTo(before + 1), "each height's time is 1 ns after the previous one");
        Assert.That(await Client.GetTimeAsync(_instance), Is.EqualTo(before + 2), "PocketIC moves time by 1 ns per tick");
    }

    [Test]
    public async Task SetTime_ThenTickAndQuery_CanisterTimeIsTheTimeSetAndGetTimeOneNanosecondLater()
    {
        ulong target = await Client.GetTimeAsync(_instance) + 60_000_000_007;

        await Client.PostAsync($"{I}/update/set_time", new JsonObject { ["nanos_since_epoch"] = target });
        await Client.PostAsync($"{I}/update/tick", new JsonObject());

        Assert.That(await Client.GetTimeAsync(_instance), Is.EqualTo(target + 1));
        Assert.That(Instance.Subnet.Replicas.Select(r => r.Latest!.TimeNanos), Is.All.EqualTo(target), "/time in every replica's certified tree");
        Assert.That(Instance.Subnet.Replicas.Select(r => Convert.ToHexString(r.Latest!.Tree.Digest)).Distinct().Count(), Is.EqualTo(1),
            "every replica certified the same root");
    }

    [Test]
    public async Task SetCertifiedTime_Future_CertifiedOnEveryReplicaAtOnce()
    {
        ulong target = await Client.GetTimeAsync(_instance) + 7_200_000_000_000;

        Answer set = await Client.PostAsync($"{I}/update/set_certified_time", new JsonObject { ["nanos_since_epoch"] = target });

        Assert.That(set.Status, Is.EqualTo(200));
        Assert.That(Instance.Subnet.Replicas.Select(r => r.Latest!.TimeNanos), Is.All.EqualTo(target));
    }

    [Test]
    public async Task SetTime_InThePast_AnswersSettingTimeIntoPast()
    {
        ulong now = await Client.GetTimeAsync(_instance);

        Answer answer = await Client.PostAsync($"{I}/update/set_time", new JsonObject { ["nanos_since_epoch"] = 1_000 });
        Answer certified = await Client.PostAsync($"{I}/update/set_certified_time", new JsonObject { ["nanos_since_epoch"] = 1_000 });

        Assert.That(answer.Status, Is.EqualTo(400));
        Assert.That(answer.Message, Is.EqualTo($"SettingTimeIntoPast(({now}, 1000))"));
        Assert.That(certified.Message, Is.EqualTo($"SettingTimeIntoPast(({now}, 1000))"));
    }

    [Test]
    public async Task SetTime_NegativeOrTextTime_Answers422()
    {
        Answer negative = await Client.PostAsync($"{I}/update/set_time", new JsonObject { ["nanos_since_epoch"] = -1 });
        Answer text = await Client.PostAsync($"{I}/update/set_time", new JsonObject { ["nanos_since_epoch"] = "5" });
        Answer missing = await Client.PostAsync($"{I}/update/set_time", new JsonObject());

        Assert.That(negative.Status, Is.EqualTo(422));
        Assert.That(negative.Body, Is.EqualTo("Failed to deserialize the JSON body into the target type: nanos_since_epoch: invalid value: -1, expected u64"));
        Assert.That(text.Status, Is.EqualTo(422));
        Assert.That(missing.Body, Is.EqualTo("Failed to deserialize the JSON body into the target type: missing field `nanos_since_epoch`"));
    }

    [Test]
    public async Task Query_AsDifferentSenders_WhoamiAnswersEachSender()
    {
        Answer alice = await Client.PostAsync($"{I}/read/query", Call(s_alice, s_whoami, "whoami", s_noArgs));
        Answer bob = await Client.PostAsync($"{I}/read/query", Call(s_bob, s_whoami, "whoami", s_noArgs));

        Assert.That(alice.Status, Is.EqualTo(200));
        Assert.That(WhoamiPrincipal(alice.Json!["Ok"]!.GetValue<string>()), Is.EqualTo(s_alice));
        Assert.That(WhoamiPrincipal(bob.Json!["Ok"]!.GetValue<string>()), Is.EqualTo(s_bob));
    }

    [Test]
    public async Task Query_UnknownCanister_AnswersErrDestinationInvalid()
    {
        Answer answer = await Client.PostAsync($"{I}/read/query", Call(s_alice, Principal.CanisterId(4242), "whoami", s_noArgs));
        JsonNode err = answer.Json!["Err"]!;

        Assert.That(answer.Status, Is.EqualTo(200));
        Assert.That(err["reject_code"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(err["error_code"]!.GetValue<int>(), Is.EqualTo(301));
        Assert.That(err["reject_message"]!.GetValue<string>(), Does.Contain("not found"));
        Assert.That(err["certified"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task Query_WrongBase64_Answers422NamingTheField()
    {
        JsonObject call = Call(s_alice, s_whoami, "whoami", s_noArgs);
        call["payload"] = "not base64!";

        Answer answer = await Client.PostAsync($"{I}/read/query", call);

        Assert.That(answer.Status, Is.EqualTo(422));
        Assert.That(answer.Body, Is.EqualTo("Failed to deserialize the JSON body into the target type: payload: invalid base64 'not base64!'"));
    }

    [Test]
    public async Task Query_BadEffectivePrincipal_Answers422()
    {
        JsonObject call = Call(s_alice, s_whoami, "whoami", s_noArgs);
        call["effective_principal"] = "Somewhere";

        Answer answer = await Client.PostAsync($"{I}/read/query", call);

        Assert.That(answer.Status, Is.EqualTo(422));
        Assert.That(answer.Body, Does.Contain("effective_principal"));
    }

    [Test]
    public async Task Update_SubmitAndAwait_ImpersonatedSenderIsTheCaller()
    {
        JsonObject call = Call(s_alice, s_whoami, "whoami", s_noArgs);
        call["effective_principal"] = new JsonObject { ["CanisterId"] = B64(s_whoami) };

        Answer submitted = await Client.PostAsync($"{I}/update/submit_ingress_message", call);
        JsonNode ok = submitted.Json!["Ok"]!;
        Answer pending = await Client.PostAsync($"{I}/read/ingress_status", new JsonObject { ["raw_message_id"] = ok.DeepClone() });
        Answer awaited = await Client.PostAsync($"{I}/update/await_ingress_message", ok.DeepClone());
        Answer done = await Client.PostAsync($"{I}/read/ingress_status", new JsonObject { ["raw_message_id"] = ok.DeepClone(), ["raw_caller"] = B64(s_alice) });

        Assert.That(ok["effective_principal"]!["CanisterId"]!.GetValue<string>(), Is.EqualTo(B64(s_whoami)));
        Assert.That(Convert.FromBase64String(ok["message_id"]!.GetValue<string>()), Has.Length.EqualTo(32));
        Assert.That(pending.Body, Is.EqualTo("null"), "not executed before a round runs");
        Assert.That(WhoamiPrincipal(awaited.Json!["Ok"]!.GetValue<string>()), Is.EqualTo(s_alice));
        Assert.That(done.Body, Is.EqualTo(awaited.Body));
    }

    [Test]
    public async Task Update_SameCallTwice_RunsTwiceWithDistinctMessageIds()
    {
        JsonObject call = Call(s_bob, s_whoami, "whoami", s_noArgs);

        Answer first = await Client.PostAsync($"{I}/update/submit_ingress_message", call);
        Answer second = await Client.PostAsync($"{I}/update/submit_ingress_message", call);

        Assert.That(first.Json!["Ok"]!["message_id"]!.GetValue<string>(), Is.Not.EqualTo(second.Json!["Ok"]!["message_id"]!.GetValue<string>()));
        Assert.That(WhoamiPrincipal((await Client.PostAsync($"{I}/update/await_ingress_message", second.Json!["Ok"]!.DeepClone())).Json!["Ok"]!.GetValue<string>()),
            Is.EqualTo(s_bob));
    }

    [Test]
    public async Task IngressStatus_AnotherCaller_Answers403()
    {
        Answer submitted = await Client.PostAsync($"{I}/update/submit_ingress_message", Call(s_alice, s_whoami, "whoami", s_noArgs));
        JsonNode ok = submitted.Json!["Ok"]!;
        await Client.PostAsync($"{I}/update/await_ingress_message", ok.DeepClone());

        Answer answer = await Client.PostAsync($"{I}/read/ingress_status", new JsonObject { ["raw_message_id"] = ok.DeepClone(), ["raw_caller"] = B64(s_bob) });

        Assert.That(answer.Status, Is.EqualTo(403));
        Assert.That(answer.Message, Does.Contain("not signed by the caller"));
    }

    [Test]
    public async Task Submit_UnknownCanister_AnswersErr()
    {
        Answer answer = await Client.PostAsync($"{I}/update/submit_ingress_message", Call(s_alice, Principal.CanisterId(4242), "whoami", s_noArgs));

        Assert.That(answer.Json!["Err"]!["reject_code"]!.GetValue<int>(), Is.EqualTo(3));
    }

    [Test]
    public async Task AwaitIngressMessage_NeverSubmitted_AnswersError()
    {
        var body = new JsonObject { ["effective_principal"] = "None", ["message_id"] = Convert.ToBase64String(new byte[32]) };

        Answer answer = await Client.PostAsync($"{I}/update/await_ingress_message", body);

        Assert.That(answer.Status, Is.EqualTo(400));
        Assert.That(answer.Message, Does.Contain("was not executed within 100 rounds"));
    }

    [Test]
    public async Task Update_ManagementCanister_ExecutedByAaaaaAaAsACertifiedUpdate()
    {
        // PocketIC's canister operations are updates to aaaaa-aa: the management canister answers (today a certified reject
        // for what it does not serve yet; the wasm work makes canister_status reply), never the server itself.
        JsonObject call = Call(Principal.Anonymous, Principal.ManagementCanister, "raw_rand_unknown_method", s_noArgs);

        Answer answer = await Client.UpdateAsync(_instance, call);

        Assert.That(answer.Status, Is.EqualTo(200));
        Assert.That(answer.Json!["Err"]!["certified"]!.GetValue<bool>(), Is.True, answer.Body);
    }

    [Test]
    public async Task GetSubnet_CanisterInRangeAndOutside_SubnetIdOrNull()
    {
        Answer inRange = await Client.PostAsync($"{I}/read/get_subnet", new JsonObject { ["canister_id"] = B64(s_whoami) });
        Answer outside = await Client.PostAsync($"{I}/read/get_subnet", new JsonObject { ["canister_id"] = B64(Principal.CanisterId(0x200000)) });

        Assert.That(inRange.Json!["subnet_id"]!.GetValue<string>(), Is.EqualTo(B64(Instance.SubnetId)));
        Assert.That(outside.Body, Is.EqualTo("null"));
    }

    [Test]
    public async Task GetControllers_Ii_ItsControllersAndUnknownCanisterIsAnError()
    {
        Answer ii = await Client.PostAsync($"{I}/read/get_controllers", new JsonObject { ["canister_id"] = B64(SubnetCanisters.InternetIdentityId) });
        Answer unknown = await Client.PostAsync($"{I}/read/get_controllers", new JsonObject { ["canister_id"] = B64(Principal.CanisterId(4242)) });

        Assert.That(ii.Status, Is.EqualTo(200));
        Assert.That(ii.Json!.AsArray(), Has.Count.EqualTo(Instance.Subnet.Replicas[0].Canister(SubnetCanisters.InternetIdentityId)!.Controllers.Count));
        Assert.That(unknown.Status, Is.EqualTo(400));
        Assert.That(unknown.Message, Does.StartWith("CanisterNotFound("));
    }

    [Test]
    public async Task PubKey_TheSubnet_RootKeyAsArrayOfNumbers()
    {
        Answer key = await Client.PostAsync($"{I}/read/pub_key", new JsonObject { ["subnet_id"] = B64(Instance.SubnetId) });
        Answer other = await Client.PostAsync($"{I}/read/pub_key", new JsonObject { ["subnet_id"] = B64(s_alice) });

        Assert.That(key.Json!.AsArray().Select(n => n!.GetValue<byte>()), Is.EqualTo(Instance.Subnet.Config.RootKeyDer));
        Assert.That(other.Status, Is.EqualTo(400));
        Assert.That(other.Message, Does.StartWith("SubnetNotFound("));
    }

    private async Task<Principal> CreateCanisterAsync(int instance, BigInteger cycles)
    {
        byte[] arg = CandidArgs.Encode(new ProvisionalCreateCanisterArgs(Amount: cycles));
        Answer created = await Client.UpdateAsync(instance, Call(s_alice, Principal.ManagementCanister, ManagementCanister.ProvisionalCreate, arg));
        string reply = created.Json?["Ok"]?.GetValue<string>() ?? throw new AssertionException("create failed: " + created.Body);
        return CandidArgs.Decode<CanisterIdRecord>(Convert.FromBase64String(reply)).CanisterId.ToPrincipal();
    }

    [Test]
    public async Task GetCycles_CreatedCanister_AnswersItsBalanceAndUnknownOrMalformedIsAnError()
    {
        Principal canister = await CreateCanisterAsync(_instance, 123_456_789);
        Answer cycles = await Client.PostAsync($"{I}/read/get_cycles", new JsonObject { ["canister_id"] = B64(canister) });
        Answer builtIn = await Client.PostAsync($"{I}/read/get_cycles", new JsonObject { ["canister_id"] = B64(s_whoami) });
        Principal unknown = Principal.CanisterId(0xFFFF0);
        Answer missing = await Client.PostAsync($"{I}/read/get_cycles", new JsonObject { ["canister_id"] = B64(unknown) });
        Answer bad = await Client.PostAsync($"{I}/read/get_cycles", new JsonObject { ["canister_id"] = "%%" });
        Answer noInstance = await Client.PostAsync("/instances/999/read/get_cycles", new JsonObject { ["canister_id"] = B64(canister) });

        Assert.That(cycles.Status, Is.EqualTo(200), cycles.Body);
        Assert.That(cycles.Body, Is.EqualTo("{\"cycles\":123456789}"), "a plain JSON number");
        Assert.That(builtIn.Json!["cycles"]!.GetValue<ulong>(), Is.Zero, "the built-in canisters keep no balance");
        Assert.That(missing.Status, Is.EqualTo(400));
        Assert.That(missing.Message, Is.EqualTo($"CanisterNotFound({unknown})"));
        Assert.That(bad.Status, Is.EqualTo(422));
        Assert.That(noInstance.Status, Is.EqualTo(400));
        Assert.That(noInstance.Message, Is.EqualTo("Instance not found"));
    }

    [Test]
    public async Task AddCycles_CreatedCanister_RaisesTheRealBalanceOnEveryReplica()
    {
        Principal canister = await CreateCanisterAsync(_instance, 1_000);
        var body = new JsonObject { ["canister_id"] = B64(canister), ["amount"] = JsonNode.Parse("340282366920938463463374607431768210000") };
        Answer added = await Client.PostAsync($"{I}/update/add_cycles", new JsonObject { ["canister_id"] = B64(canister), ["amount"] = 2_000_000_000_000 });
        Answer read = await Client.PostAsync($"{I}/read/get_cycles", new JsonObject { ["canister_id"] = B64(canister) });
        Answer saturated = await Client.PostAsync($"{I}/update/add_cycles", body);

        Assert.That(added.Status, Is.EqualTo(200), added.Body);
        Assert.That(added.Json!["cycles"]!.GetValue<ulong>(), Is.EqualTo(2_000_000_001_000UL));
        Assert.That(read.Json!["cycles"]!.GetValue<ulong>(), Is.EqualTo(2_000_000_001_000UL));
        Assert.That(saturated.Body, Is.EqualTo("{\"cycles\":" + UInt128.MaxValue + "}"), "u128 as a plain number; the balance saturates");
        // Every replica executes the top-up; the slowest may need a few more heights to get there.
        UInt128[] Balances() => [.. Instance.Subnet.Replicas.Select(r => ((HostedCanister)r.Canister(canister)!.Canister).Cycles)];
        for (int tick = 0; tick < 20 && Balances().Any(b => b != UInt128.MaxValue); tick++)
        {
            await Instance.TickAsync(CancellationToken.None);
        }

        Assert.That(Balances(), Is.All.EqualTo(UInt128.MaxValue), "executed by every replica within 20 ticks");
    }

    [Test]
    public async Task AddCycles_BadInput_AnswersPocketIcErrorShape()
    {
        Principal unknown = Principal.CanisterId(0xFFFF1);
        Answer missing = await Client.PostAsync($"{I}/update/add_cycles", new JsonObject { ["canister_id"] = B64(unknown), ["amount"] = 1 });
        Answer builtIn = await Client.PostAsync($"{I}/update/add_cycles", new JsonObject { ["canister_id"] = B64(s_whoami), ["amount"] = 1 });
        Answer negative = await Client.PostAsync($"{I}/update/add_cycles", new JsonObject { ["canister_id"] = B64(s_whoami), ["amount"] = -5 });
        Answer noAmount = await Client.PostAsync($"{I}/update/add_cycles", new JsonObject { ["canister_id"] = B64(s_whoami) });

        Assert.That(missing.Status, Is.EqualTo(400));
        Assert.That(missing.Message, Is.EqualTo($"CanisterNotFound({unknown})"));
        Assert.That(builtIn.Status, Is.EqualTo(400));
        Assert.That(builtIn.Message, Does.Contain("keeps no cycles balance"));
        Assert.That(negative.Status, Is.EqualTo(422), negative.Body);
        Assert.That(noAmount.Status, Is.EqualTo(422), noAmount.Body);
    }

    [Test]
    public async Task StableMemory_NotServedYet_AnswersMessageWithReason()
    {
        var body = new JsonObject { ["canister_id"] = B64(s_whoami) };
        Answer stable = await Client.PostAsync($"{I}/read/get_stable_memory", body);

        Assert.That(stable.Status, Is.EqualTo(400));
        Assert.That(stable.Message, Does.Contain("stable memory"));
    }

    [Test]
    public async Task CanisterHttp_NonePending_EmptyListAndMockIsAnError()
    {
        Answer pending = await Client.GetAsync($"{I}/read/get_canister_http");
        Answer mock = await Client.PostAsync($"{I}/update/mock_canister_http", new JsonObject { ["request_id"] = 7, ["subnet_id"] = new JsonObject() });

        Assert.That(pending.Body, Is.EqualTo("[]"));
        Assert.That(mock.Message, Does.StartWith("InvalidCanisterHttpRequestId("));
    }

    [Test]
    public async Task AutoProgress_OnThenOff_TimeFollowsTheWallClockAndSecondEnableIsAnError()
    {
        int id = await Client.CreateInstanceAsync(DefaultInstanceConfig(replicas: 1));
        try
        {
            Answer on = await Client.PostAsync($"/instances/{id}/auto_progress", new JsonObject { ["artificial_delay_ms"] = 0 });
            Answer again = await Client.PostAsync($"/instances/{id}/auto_progress", new JsonObject());
            Answer enabled = await Client.GetAsync($"/instances/{id}/auto_progress");
            Answer update = await Client.UpdateAsync(id, Call(s_alice, s_whoami, "whoami", s_noArgs));
            Answer off = await Client.PostAsync($"/instances/{id}/stop_progress", new JsonObject());
            Answer disabled = await Client.GetAsync($"/instances/{id}/auto_progress");

            Assert.That(on.Status, Is.EqualTo(200));
            Assert.That(again.Message, Is.EqualTo("Auto progress mode has already been enabled."));
            Assert.That(enabled.Body, Is.EqualTo("true"));
            Assert.That(WhoamiPrincipal(update.Json!["Ok"]!.GetValue<string>()), Is.EqualTo(s_alice), "an await in live mode waits for the rounds it makes");
            Assert.That(off.Status, Is.EqualTo(200));
            Assert.That(disabled.Body, Is.EqualTo("false"));
        }
        finally
        {
            await Client.DeleteAsync($"/instances/{id}");
        }
    }

    [Test]
    public async Task ApiV2_ForwardedToReplica0_StatusIsCbor()
    {
        Answer status = await Client.GetAsync($"{I}/api/v2/status");

        Assert.That(status.Status, Is.EqualTo(200));
        Assert.That(status.ContentType, Is.EqualTo("application/cbor"));
    }

    [Test]
    public async Task HttpGateway_StartListStop_AnswersReplica0sPort()
    {
        Answer started = await Client.PostAsync("/http_gateway", new JsonObject { ["forward_to"] = new JsonObject { ["PocketIcInstance"] = _instance } });
        int gateway = started.Json!["Created"]!["instance_id"]!.GetValue<int>();
        Answer listed = await Client.GetAsync("/http_gateway");
        Answer stopped = await Client.PostAsync($"/http_gateway/{gateway}/stop", null);
        Answer replica = await Client.PostAsync("/http_gateway", new JsonObject { ["forward_to"] = new JsonObject { ["Replica"] = "http://127.0.0.1:1" } });

        Assert.That(started.Json!["Created"]!["port"]!.GetValue<int>(), Is.EqualTo(Instance.Subnet.Url.Port));
        Assert.That(listed.Json!.AsArray().Select(g => g!["instance_id"]!.GetValue<int>()), Does.Contain(gateway));
        Assert.That(stopped.Status, Is.EqualTo(200));
        Assert.That(replica.Status, Is.EqualTo(400));
        Assert.That(replica.Json!["Error"]!["message"]!.GetValue<string>(), Does.Contain("own instances only"));
    }

    [Test]
    public async Task BlobStore_UploadThenDownload_IdIsHexSha256AndGzipIsKept()
    {
        byte[] blob = RandomNumberGenerator.GetBytes(1000);
        using var http = new HttpClient { BaseAddress = Server.Url };
        using var content = new ByteArrayContent(blob);
        content.Headers.ContentEncoding.Add("gzip");

        using HttpResponseMessage posted = await http.PostAsync("/blobstore", content);
        string id = await posted.Content.ReadAsStringAsync();
        using HttpResponseMessage fetched = await http.GetAsync($"/blobstore/{id}");
        using HttpResponseMessage missing = await http.GetAsync($"/blobstore/{new string('0', 64)}");

        Assert.That(id, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(blob))));
        Assert.That(fetched.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        Assert.That(await fetched.Content.ReadAsByteArrayAsync(), Is.EqualTo(blob));
        Assert.That((int)missing.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task ApiJson_ListsTheRoutesServed()
    {
        Answer api = await Client.GetAsync("/api.json");
        JsonObject paths = api.Json!["paths"]!.AsObject();

        Assert.That(api.Json!["openapi"]!.GetValue<string>(), Is.EqualTo("3.0.1"));
        Assert.That(paths.Select(p => p.Key), Is.SupersetOf(new[]
        {
            "/instances", "/instances/{id}/read/query", "/instances/{id}/update/tick", "/instances/{id}/update/submit_ingress_message",
            "/instances/{id}/api/v3/{rest}", "/blobstore", "/http_gateway",
        }));
        Assert.That(paths["/instances/{id}/update/tick"]!["post"]!["summary"]!.GetValue<string>(), Does.Contain("one height"));
    }
}
