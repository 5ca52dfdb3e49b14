using System.Net;
using System.Numerics;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.TestSupport;

namespace InternetIdentity.Cli.Tests.Deploy;

/// <summary><c>iinet deploy</c> against a running 4-replica subnet, with a Motoko counter compiled by npm motoko@4.10.0.</summary>
[NonParallelizable]
public class DeployCommandTests
{
    private const string Counter = """
        persistent actor Counter {
          var count : Nat = 0;
          public func inc() : async Nat { count += 1; count };
          public query func get() : async Nat { count };
        };
        """;

    private LocalSubnet _subnet = null!;
    private string _dir = "";
    private string _wasm = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        var random = new Random(8);
        IReadOnlyList<GenesisConfig> configs = GenesisBuilder.Create(4, "127.0.0.1", 0, random.NextBytes);
        _subnet = await LocalSubnet.StartAsync(configs, () => SubnetCanisters.Create(), TimeProvider.System, IPAddress.Loopback, 0);
        _dir = Directory.CreateTempSubdirectory("iinet-deploy-").FullName;
        _wasm = Path.Combine(_dir, "counter.wasm");
        await File.WriteAllBytesAsync(_wasm, Convert.FromBase64String(NodeScript.Run("motoko-compile.mjs", Counter)));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _subnet.WaitUntilCertifiedAsync(cts.Token);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _subnet.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Url => _subnet.Url.ToString();

    private string DataDir => Path.Combine(_dir, ".iinet");

    private static Principal CanisterOf(CliHarness.Result r)
    {
        Assert.That(r.ExitCode, Is.Zero, r.Output + r.Error);
        string line = r.Output.Split('\n').Single(l => l.StartsWith("canister: ", StringComparison.Ordinal));
        return Principal.Parse(line["canister: ".Length..].Trim());
    }

    private async Task<BigInteger> CallAsync(Principal canister, string method)
    {
        SignIdentity identity = IdentityPem.Load(await File.ReadAllTextAsync(Path.Combine(DataDir, "identity.pem")));
        using HttpAgent agent = await HttpAgent.CreateAsync(new HttpAgentOptions { Host = _subnet.Url, Identity = identity });
        byte[] reply = method == "get" ? await agent.QueryAsync(canister, method, CandidArgs.Encode()) : await agent.CallAsync(canister, method, CandidArgs.Encode());
        return ((CandidNat)CandidDecoder.DecodeUntyped(reply).Values.Single()).Value;
    }

    [Test]
    public async Task Deploy_NewThenUpgradeThenReinstall_KeepsThenResetsTheCount()
    {
        CliHarness.Result created = CliHarness.Run("deploy", "--wasm", _wasm, "--url", Url, "--data-dir", DataDir);
        Principal id = CanisterOf(created);
        Assert.That(created.Output, Does.Contain($"url: http://{id}.localhost:{_subnet.Url.Port}/"));
        Assert.That(created.Output, Does.Contain("mode: install"));
        Assert.That(await CallAsync(id, "inc"), Is.EqualTo(BigInteger.One));
        Assert.That(await CallAsync(id, "inc"), Is.EqualTo(new BigInteger(2)));

        CliHarness.Result upgraded = CliHarness.Run("deploy", "--wasm", _wasm, "--canister", id.ToString(), "--url", Url, "--data-dir", DataDir);
        Assert.That(CanisterOf(upgraded), Is.EqualTo(id));
        Assert.That(upgraded.Output, Does.Contain("mode: upgrade"));
        Assert.That(upgraded.Output, Does.Not.Contain("identity: created"), "the identity of the first deploy is reused");
        Assert.That(await CallAsync(id, "get"), Is.EqualTo(new BigInteger(2)), "stable state survives the upgrade");

        CliHarness.Result reinstalled = CliHarness.Run("deploy", "--wasm", _wasm, "--canister", id.ToString(), "--mode", "reinstall", "--url", Url, "--data-dir", DataDir);
        Assert.That(CanisterOf(reinstalled), Is.EqualTo(id));
        Assert.That(await CallAsync(id, "get"), Is.EqualTo(BigInteger.Zero), "reinstall starts over");
    }

    [Test]
    public async Task Deploy_CandidTextArgument_TypedByTheDidOrInferred_ReachesCanisterInit()
    {
        const string source = """
            persistent actor class Main(init : { owner : Principal; n : Nat }) {
              public query func get() : async (Principal, Nat) { (init.owner, init.n) };
            };
            """;
        string wasm = Path.Combine(_dir, "init.wasm");
        await File.WriteAllBytesAsync(wasm, Convert.FromBase64String(NodeScript.Run("motoko-compile.mjs", source)));
        string did = Path.Combine(_dir, "init.did");
        await File.WriteAllTextAsync(did, "service : (record { owner : principal; n : nat }) -> { get : () -> (principal, nat) query }");

        // Typed by the .did: the number needs no annotation.
        CliHarness.Result typed = CliHarness.Run("deploy", "--wasm", wasm, "--candid", did, "--arg", """(record { owner = principal "2vxsx-fae"; n = 5 })""",
            "--url", Url, "--data-dir", DataDir);
        Principal first = CanisterOf(typed);
        Assert.That(typed.Output, Does.Contain("argument: typed by the .did's init arguments (record { n : nat; owner : principal; })"));
        Assert.That(await GetAsync(first), Is.EqualTo((Principal.Anonymous, new BigInteger(5))));

        // Inferred: the brief's own example, with the number annotated.
        CliHarness.Result inferred = CliHarness.Run("deploy", "--wasm", wasm, "--arg", """(record { owner = principal "aaaaa-aa"; n = 7 : nat })""",
            "--url", Url, "--data-dir", DataDir);
        Principal second = CanisterOf(inferred);
        Assert.That(inferred.Output, Does.Contain("argument: types inferred from the text"));
        Assert.That(await GetAsync(second), Is.EqualTo((Principal.ManagementCanister, new BigInteger(7))));

        // A value that does not fit the .did: refused before anything is created.
        CliHarness.Result wrong = CliHarness.Run("deploy", "--wasm", wasm, "--candid", did, "--arg", """(record { owner = "me"; n = 5 })""",
            "--url", Url, "--data-dir", DataDir);
        Assert.That(wrong.ExitCode, Is.EqualTo(ExitCodes.Malformed));
        Assert.That(wrong.Error, Does.Contain("--arg: line 1, column 19: a text does not fit type principal"));
    }

    private async Task<(Principal, BigInteger)> GetAsync(Principal canister)
    {
        SignIdentity identity = IdentityPem.Load(await File.ReadAllTextAsync(Path.Combine(DataDir, "identity.pem")));
        using HttpAgent agent = await HttpAgent.CreateAsync(new HttpAgentOptions { Host = _subnet.Url, Identity = identity });
        IReadOnlyList<CandidValue> values = CandidDecoder.DecodeUntyped(await agent.QueryAsync(canister, "get", CandidArgs.Encode())).Values;
        return (((CandidPrincipalValue)values[0]).Principal.ToPrincipal(), ((CandidNat)values[1]).Value);
    }

    [Test]
    public void Deploy_NotAController_IsRejectedWithIC0512()
    {
        Principal id = CanisterOf(CliHarness.Run("deploy", "--wasm", _wasm, "--url", Url, "--data-dir", DataDir));
        CliHarness.Result other = CliHarness.Run("deploy", "--wasm", _wasm, "--canister", id.ToString(), "--url", Url, "--data-dir", Path.Combine(_dir, ".other"));
        Assert.That(other.ExitCode, Is.EqualTo(ExitCodes.Invalid));
        Assert.That(other.Output, Does.Contain($"rejected (IC0512): Only the controllers of the canister {id} can control it."));
    }

    [Test]
    public void Deploy_MalformedModule_IsRejectedWithIC0505()
    {
        string bad = Path.Combine(_dir, "bad.wasm");
        File.WriteAllBytes(bad, [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff]);
        CliHarness.Result r = CliHarness.Run("deploy", "--wasm", bad, "--url", Url, "--data-dir", DataDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Invalid));
        Assert.That(r.Output, Does.Contain("rejected (IC0505): Error from Canister "));
    }

    [TestCase("--arg", "(record { n = })", "--arg: line 1, column 15: expected a value, found '}'")]
    [TestCase("--arg", "4449", "not Candid binary")]
    [TestCase("--mode", "upgrade", "--mode upgrade needs --canister")]
    [TestCase("--mode", "sideways", "--mode: 'sideways' is not install, reinstall or upgrade")]
    public void Deploy_BadOption_Exit2WithTheReason(string option, string value, string reason)
    {
        CliHarness.Result r = CliHarness.Run("deploy", "--wasm", _wasm, option, value, "--url", Url, "--data-dir", DataDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Malformed));
        Assert.That(r.Error, Does.Contain(reason));
    }
}
