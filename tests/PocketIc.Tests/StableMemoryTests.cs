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
/// <c>get_stable_memory</c> / <c>set_stable_memory</c> on a Motoko canister: blobs from the blob store, set on every
/// replica through the management canister's test-only method, read from the newest certified state.
/// </summary>
[NonParallelizable]
public class StableMemoryTests : PocketIcServerFixture
{
    private static readonly Principal s_alice = Principal.SelfAuthenticating([3, 1, 4]);
    private static readonly Principal s_whoami = Principal.CanisterId(0);
    private static readonly byte[] s_noArgs = "DIDL\0\0"u8.ToArray();
    private int _instance;
    private Principal _counter = null!;

    [OneTimeSetUp]
    public async Task CreateInstance()
    {
        _instance = await Client.CreateInstanceAsync();
        _counter = await InstallCounterAsync(Client, _instance, s_alice);
    }

    private string I => $"/instances/{_instance}";

    private Task<Answer> GetAsync(Principal canister) =>
        Client.PostAsync($"{I}/read/get_stable_memory", new JsonObject { ["canister_id"] = B64(canister) });

    private Task<Answer> SetAsync(Principal canister, string blobId) =>
        Client.PostAsync($"{I}/update/set_stable_memory", new JsonObject { ["canister_id"] = B64(canister), ["blob_id"] = Convert.ToBase64String(Convert.FromHexString(blobId)) });

    [TestCase(100_000, false)]
    [TestCase(2_500_000, true)] // three chunks of an ingress message each
    public async Task SetStableMemory_ThenGet_SameBytesPaddedToWholePagesOnEveryReplica(int size, bool gzip)
    {
        byte[] data = new byte[size];
        new Random(size).NextBytes(data);
        string blob = await Client.AddBlobAsync(data, gzip);

        Answer set = await SetAsync(_counter, blob);
        Answer got = await GetAsync(_counter);

        Assert.That(set.Status, Is.EqualTo(200), set.Body);
        Assert.That(set.Body, Is.EqualTo("null"));
        Assert.That(got.Status, Is.EqualTo(200), got.Body);
        byte[] memory = Convert.FromBase64String(got.Json!["blob"]!.GetValue<string>());
        int pages = (size + 65535) / 65536;
        Assert.That(memory, Has.Length.EqualTo(pages * 65536));
        Assert.That(memory.AsSpan(0, size).SequenceEqual(data), Is.True, "the blob's bytes");
        Assert.That(memory.AsSpan(size).ContainsAnyExcept((byte)0), Is.False, "zeros to the end of the page");
        PocketIcInstance running = Server.Instances.Running.Single(i => i.Id == _instance);
        Assert.That(running.Subnet.Replicas.Select(r => Convert.ToHexString(r.StableMemory(_counter)!)).Distinct().Count(), Is.EqualTo(1),
            "every replica holds the same stable memory");
        Answer counter = await Client.UpdateAsync(_instance, Call(s_alice, _counter, "inc", s_noArgs));
        Assert.That(counter.Json?["Ok"], Is.Not.Null, "the canister still runs: " + counter.Body);
    }

    [Test]
    public async Task GetAndSetStableMemory_UnknownCanister_CanisterNotFound()
    {
        Principal unknown = Principal.CanisterId(9_999);
        string blob = await Client.AddBlobAsync([1, 2, 3]);

        Answer got = await GetAsync(unknown);
        Answer set = await SetAsync(unknown, blob);

        Assert.That((got.Status, set.Status), Is.EqualTo((400, 400)));
        Assert.That(got.Message, Is.EqualTo($"CanisterNotFound({unknown})"));
        Assert.That(set.Message, Is.EqualTo($"CanisterNotFound({unknown})"));
    }

    [Test]
    public async Task SetStableMemory_UnknownBlob_400NamingTheBlob()
    {
        string missing = Convert.ToHexStringLower(new byte[32]);

        Answer set = await SetAsync(_counter, missing);

        Assert.That(set.Status, Is.EqualTo(400));
        Assert.That(set.Message, Does.Contain("blob not found").And.Contain(missing));
    }

    [Test]
    public async Task GetAndSetStableMemory_BuiltInCanister_400SayingItIsBuiltIn()
    {
        string blob = await Client.AddBlobAsync([1, 2, 3]);

        Answer got = await GetAsync(s_whoami);
        Answer set = await SetAsync(s_whoami, blob);

        Assert.That((got.Status, set.Status), Is.EqualTo((400, 400)));
        Assert.That(got.Message, Does.Contain("built into this server"));
        Assert.That(set.Message, Does.Contain("built into this server"));
    }
}
