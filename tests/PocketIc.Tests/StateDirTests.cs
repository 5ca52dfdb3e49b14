using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Principals;
using static InternetIdentity.PocketIc.Tests.PocketIcTestClient;

namespace InternetIdentity.PocketIc.Tests;

/// <summary>
/// <c>state_dir</c>: the replicas keep their journals and checkpoints there, and an instance created later with the same
/// directory starts from them (keys, canisters and their state, time).
/// </summary>
[NonParallelizable]
public class StateDirTests : PocketIcServerFixture
{
    private static readonly Principal s_alice = Principal.SelfAuthenticating([2, 7, 1]);
    private static readonly byte[] s_noArgs = "DIDL\0\0"u8.ToArray();
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "pic-state-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void RemoveDir()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private JsonObject WithState(string? dir = null, int replicas = 4)
    {
        JsonObject config = DefaultInstanceConfig(replicas);
        config["state_dir"] = dir ?? _dir;
        return config;
    }

    private async Task<string> QueryAsync(int instance, Principal canister, string method)
    {
        Answer answer = await Client.PostAsync($"/instances/{instance}/read/query", Call(s_alice, canister, method, s_noArgs));
        Assert.That(answer.Json?["Ok"], Is.Not.Null, answer.Body);
        return answer.Json!["Ok"]!.GetValue<string>();
    }

    [Test]
    public async Task CreateInstance_SameStateDirAfterDelete_CanisterAndItsStateAndTimeAreBack()
    {
        int first = await Client.CreateInstanceAsync(WithState());
        Principal counter = await InstallCounterAsync(Client, first, s_alice);
        for (int i = 0; i < 3; i++)
        {
            Assert.That((await Client.UpdateAsync(first, Call(s_alice, counter, "inc", s_noArgs))).Json?["Ok"], Is.Not.Null);
        }

        ulong later = await Client.GetTimeAsync(first);
        string count = await QueryAsync(first, counter, "get");
        Assert.That((await Client.DeleteAsync($"/instances/{first}")).Status, Is.EqualTo(200));

        int second = await Client.CreateInstanceAsync(WithState(replicas: 1)); // the directory's subnet wins: 4 replicas

        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(Server.Instances.Running.Single(i => i.Id == second).Subnet.Replicas, Has.Count.EqualTo(4));
        Assert.That(await QueryAsync(second, counter, "get"), Is.EqualTo(count), "the counter's state as before the delete");
        Assert.That(await Client.GetTimeAsync(second), Is.GreaterThan(later), "time never goes back");
        Answer inc = await Client.UpdateAsync(second, Call(s_alice, counter, "inc", s_noArgs));
        Assert.That(inc.Json?["Ok"], Is.Not.Null, "the restored canister runs updates: " + inc.Body);
        Assert.That(Directory.GetFiles(Path.Combine(_dir, "state")), Is.Not.Empty, "SQLite journals under state/");
        Assert.That((await Client.DeleteAsync($"/instances/{second}")).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task CreateInstance_StateDirInUse_ErrorUntilTheFirstIsDeleted()
    {
        int first = await Client.CreateInstanceAsync(WithState());

        Answer busy = await Client.PostAsync("/instances", WithState());
        await Client.DeleteAsync($"/instances/{first}");
        int again = await Client.CreateInstanceAsync(WithState());

        Assert.That(busy.Status, Is.EqualTo(400));
        Assert.That(busy.Json!["Error"]!["message"]!.GetValue<string>(), Does.Contain("in use by instance " + first));
        await Client.DeleteAsync($"/instances/{again}");
    }

    [Test]
    public async Task CreateInstance_StateDirIsAFile_400WithPocketIcErrorShape()
    {
        Directory.CreateDirectory(_dir);
        string file = Path.Combine(_dir, "not-a-dir");
        await File.WriteAllTextAsync(file, "x");

        Answer answer = await Client.PostAsync("/instances", WithState(file));

        Assert.That(answer.Status, Is.EqualTo(400));
        Assert.That(answer.Json!["Error"]!["message"]!.GetValue<string>(), Does.Contain("is a file, not a directory"));
    }

    [Test]
    public async Task CreateInstance_StateDirNotAString_422()
    {
        JsonObject config = DefaultInstanceConfig();
        config["state_dir"] = 5;

        Answer answer = await Client.PostAsync("/instances", config);

        Assert.That(answer.Status, Is.EqualTo(422));
        Assert.That(answer.Body, Does.Contain("state_dir"));
    }
}
