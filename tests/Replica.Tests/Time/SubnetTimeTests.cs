using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Replica.Tests.Time;

/// <summary>Time control on a live 4-replica subnet: set, advance and tick, certified on every replica, and the /_/ test API.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SubnetTimeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static Task<LocalSubnet> StartAsync(SubnetTimeMode mode, bool testApi = true) =>
        LocalSubnet.StartAsync(TestSubnets.Create(4), SubnetCanisters.Create, new SubnetClock(mode), IPAddress.Loopback, 0, testApi: testApi);

    private static async Task<CertifiedState> CertifiedAsync(LocalSubnet subnet)
    {
        using var cts = new CancellationTokenSource(Bound);
        return await subnet.WaitUntilCertifiedAsync(cts.Token);
    }

    [Test]
    public async Task AdvanceTimeAsync_SystemMode_EveryReplicaCertifiesTheNewTime()
    {
        await using LocalSubnet subnet = await StartAsync(SubnetTimeMode.System);
        await CertifiedAsync(subnet);
        long before = subnet.Time.NowNanos;

        SubnetTimeResult result = await subnet.Time.AdvanceTimeAsync(TimeSpan.FromMinutes(10));

        long target = before + (long)TimeSpan.FromMinutes(10).TotalNanoseconds;
        Assert.That(result.NanosSinceEpoch, Is.GreaterThanOrEqualTo(target));
        foreach (ReplicaNode replica in subnet.Replicas)
        {
            // The certified tree's /time of each replica, not the clock: the result is visible to read_state everywhere.
            Assert.That((long)replica.Latest!.TimeNanos, Is.GreaterThanOrEqualTo(target), $"replica {replica.Config.NodeIndex}");
        }

        Assert.That(subnet.Time.NowNanos, Is.LessThan(target + (long)TimeSpan.FromMinutes(1).TotalNanoseconds), "an advance moves the offset, not more");
    }

    [Test]
    public async Task SetTimeAsync_EarlierThanNow_ThrowsArgumentExceptionNamingTheCurrentTime()
    {
        await using LocalSubnet subnet = await StartAsync(SubnetTimeMode.Manual);
        long now = subnet.Time.NowNanos;

        ArgumentException? e = Assert.ThrowsAsync<ArgumentException>(() => subnet.Time.SetTimeAsync(now - 1_000_000_000));

        Assert.That(e!.Message, Does.Contain("only moves forward").And.Contain(now.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(subnet.Time.NowNanos, Is.EqualTo(now));
        Assert.ThrowsAsync<ArgumentException>(() => subnet.Time.AdvanceTimeAsync(TimeSpan.FromSeconds(-1)));
    }

    [Test]
    public async Task TickAsync_ManualMode_NoHeightsWithoutTicksAndExactlyOnePerTick()
    {
        await using LocalSubnet subnet = await StartAsync(SubnetTimeMode.Manual);
        CertifiedState start = await CertifiedAsync(subnet);
        long time = subnet.Time.NowNanos;

        // A bounded observation that asserts nothing happens: an idle system-mode subnet makes a height every ~300 ms,
        // so 1.5 s without a tick would show about five.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.That(subnet.Replicas.Select(r => r.Latest!.Height), Is.All.EqualTo(start.Height), "heights made without a tick");
        Assert.That(subnet.Time.NowNanos, Is.EqualTo(time), "manual time moved by itself");

        SubnetTimeResult tick = await subnet.Time.TickAsync();

        Assert.That(tick.Height, Is.EqualTo((long)start.Height + 1));
        Assert.That(subnet.Replicas.Select(r => (long)r.Latest!.Height), Is.All.EqualTo(tick.Height));
        Assert.That(tick.NanosSinceEpoch, Is.EqualTo(time + 1), "a tick moves time by one nanosecond, block time's resolution");

        SubnetTimeResult second = await subnet.Time.TickAsync();
        Assert.That(second.Height, Is.EqualTo(tick.Height + 1));
    }

    [Test]
    public async Task SetTimeAsync_ManualMode_OneHeightWithTheTimeOnEveryReplica()
    {
        await using LocalSubnet subnet = await StartAsync(SubnetTimeMode.Manual);
        CertifiedState start = await CertifiedAsync(subnet);
        long target = subnet.Time.NowNanos + (long)TimeSpan.FromDays(1).TotalNanoseconds + 123; // kept to the nanosecond

        SubnetTimeResult result = await subnet.Time.SetTimeAsync(target);

        Assert.That(result.Height, Is.EqualTo((long)start.Height + 1));
        Assert.That(result.NanosSinceEpoch, Is.EqualTo(target));
        Assert.That(subnet.Replicas.Select(r => (long)r.Latest!.TimeNanos), Is.All.EqualTo(result.NanosSinceEpoch));
    }

    [Test]
    public async Task TickAsync_SystemMode_ThrowsInvalidOperationException()
    {
        await using LocalSubnet subnet = await StartAsync(SubnetTimeMode.System);
        InvalidOperationException? e = Assert.ThrowsAsync<InvalidOperationException>(() => subnet.Time.TickAsync());
        Assert.That(e!.Message, Does.Contain("manual"));
    }

    [Test]
    public async Task TestApi_TimeEndpoints_AnswerJsonAndRefuseBadInput()
    {
        await using LocalSubnet subnet = await StartAsync(SubnetTimeMode.Manual);
        await CertifiedAsync(subnet);
        using var http = new HttpClient { BaseAddress = subnet.Gateways[2].Url, Timeout = Bound };

        JsonElement got = await http.GetFromJsonAsync<JsonElement>("/_/time");
        long now = got.GetProperty("nanos_since_epoch").GetInt64();
        Assert.That(now, Is.EqualTo(subnet.Time.NowNanos));

        HttpResponseMessage set = await http.PostAsJsonAsync("/_/time", new { nanos_since_epoch = now + 5_000_000_000 });
        Assert.That(set.StatusCode, Is.EqualTo(HttpStatusCode.OK), await set.Content.ReadAsStringAsync());
        JsonElement setBody = await set.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(setBody.GetProperty("nanos_since_epoch").GetInt64(), Is.EqualTo(now + 5_000_000_000));
        long height = setBody.GetProperty("height").GetInt64();

        HttpResponseMessage advance = await http.PostAsJsonAsync("/_/time/advance", new { nanos = 1_000_000_000 });
        JsonElement advanced = await advance.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(advanced.GetProperty("nanos_since_epoch").GetInt64(), Is.EqualTo(now + 6_000_000_000));

        HttpResponseMessage tick = await http.PostAsync("/_/tick", null);
        JsonElement ticked = await tick.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(ticked.GetProperty("height").GetInt64(), Is.EqualTo(height + 2));

        await AssertRefused(http.PostAsJsonAsync("/_/time", new { nanos_since_epoch = now }), HttpStatusCode.BadRequest, "only moves forward");
        await AssertRefused(http.PostAsync("/_/time", new StringContent("{not json")), HttpStatusCode.BadRequest, "not JSON");
        await AssertRefused(http.PostAsJsonAsync("/_/time", new { nanos = 1 }), HttpStatusCode.BadRequest, "nanos_since_epoch");
        await AssertRefused(http.PostAsJsonAsync("/_/time/advance", new { nanos = -5 }), HttpStatusCode.BadRequest, "non-negative");
        await AssertRefused(http.PostAsJsonAsync("/_/time/advance", new { nanos = "soon" }), HttpStatusCode.BadRequest, "non-negative");
        await AssertRefused(http.GetAsync("/_/nothing"), HttpStatusCode.NotFound, "no such test endpoint");
    }

    [Test]
    public async Task TestApi_TickInSystemMode_Refused409()
    {
        await using LocalSubnet subnet = await StartAsync(SubnetTimeMode.System);
        using var http = new HttpClient { BaseAddress = subnet.Url, Timeout = Bound };
        await AssertRefused(http.PostAsync("/_/tick", null), HttpStatusCode.Conflict, "manual");
    }

    [Test]
    public async Task TestApi_Off_Answers404AndNeverReachesCanisters()
    {
        await using LocalSubnet subnet = await StartAsync(SubnetTimeMode.System, testApi: false);
        using var http = new HttpClient { BaseAddress = subnet.Url, Timeout = Bound };
        await AssertRefused(http.GetAsync("/_/time"), HttpStatusCode.NotFound, "the test API is off");
        await AssertRefused(http.PostAsync("/_/tick", null), HttpStatusCode.NotFound, "the test API is off");
    }

    [Test]
    public async Task TestApi_IiAnchorsAndSignIn_ChainForTheSessionKeyOnAnyReplica()
    {
        await using LocalSubnet subnet = await StartAsync(SubnetTimeMode.System);
        await CertifiedAsync(subnet);
        using var http0 = new HttpClient { BaseAddress = subnet.Gateways[0].Url, Timeout = Bound };
        using var http3 = new HttpClient { BaseAddress = subnet.Gateways[3].Url, Timeout = Bound };
        HttpResponseMessage created = await http0.PostAsync("/_/ii/anchors", null);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK), await created.Content.ReadAsStringAsync());
        JsonElement anchor = await created.Content.ReadFromJsonAsync<JsonElement>();
        ulong number = anchor.GetProperty("anchor").GetUInt64();
        Assert.That(number, Is.GreaterThanOrEqualTo(10_000UL));
        Assert.That(anchor.GetProperty("device_public_key").GetString(), Does.StartWith("302a300506032b6570032100"));

        string session = Convert.ToHexStringLower(Protocol.Signatures.DerPublicKey.EncodeEd25519(
            Protocol.Signatures.Ed25519Signatures.PublicKeyFromSeed(new byte[32])));
        HttpResponseMessage signedIn = await http3.PostAsJsonAsync("/_/ii/sign-in",
            new { anchor = number, origin = "http://localhost:5173", session_public_key = session, max_time_to_live_ns = 3_600_000_000_000 });
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await signedIn.Content.ReadAsStringAsync());
        JsonElement result = await signedIn.Content.ReadFromJsonAsync<JsonElement>();
        JsonElement chain = result.GetProperty("delegation_chain");
        Assert.That(chain.GetProperty("delegations")[0].GetProperty("delegation").GetProperty("pubkey").GetString(), Is.EqualTo(session));
        Assert.That(chain.GetProperty("publicKey").GetString(), Is.EqualTo(result.GetProperty("user_public_key").GetString()));
        Assert.That(Protocol.Principals.Principal.SelfAuthenticating(Convert.FromHexString(chain.GetProperty("publicKey").GetString()!)).ToString(),
            Is.EqualTo(result.GetProperty("principal").GetString()));

        await AssertRefused(http3.PostAsJsonAsync("/_/ii/sign-in", new { anchor = 99_999, origin = "http://localhost:5173", session_public_key = session }),
            HttpStatusCode.NotFound, "was not created through POST /_/ii/anchors");
        await AssertRefused(http3.PostAsJsonAsync("/_/ii/sign-in", new { anchor = number, origin = "http://localhost:5173/app", session_public_key = session }),
            HttpStatusCode.BadRequest, "origin");
        await AssertRefused(http3.PostAsJsonAsync("/_/ii/sign-in", new { anchor = number, origin = "http://localhost:5173", session_public_key = "zz" }),
            HttpStatusCode.BadRequest, "not hex");
        await AssertRefused(http3.PostAsync("/_/ii/sign-in", new StringContent("[]")), HttpStatusCode.BadRequest, "JSON object");
    }

    private static async Task AssertRefused(Task<HttpResponseMessage> request, HttpStatusCode status, string reason)
    {
        HttpResponseMessage response = await request;
        string body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), Does.Contain(reason));
    }
}
