using System.Numerics;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Execution;
using InternetIdentity.TestSupport;
using static InternetIdentity.PocketIc.Tests.PocketIcTestClient;

namespace InternetIdentity.PocketIc.Tests;

/// <summary>A fixture whose tests share one PocketIC server of ours, started before them and stopped after them, with a client of its REST API.</summary>
public abstract class PocketIcServerFixture
{
    /// <summary>The server the fixture's tests talk to.</summary>
    protected PocketIcServer Server { get; private set; } = null!;

    /// <summary>A client of <see cref="Server"/>'s REST API.</summary>
    private protected PocketIcTestClient Client { get; private set; } = null!;

    /// <summary>Starts the server (before any derived fixture's own one-time setup).</summary>
    [OneTimeSetUp]
    public async Task StartServer()
    {
        Server = (await PocketIcServer.StartAsync(new PocketIcServerOptions()))!;
        Client = new PocketIcTestClient(Server.Url);
    }

    /// <summary>Stops the server and frees its port.</summary>
    [OneTimeTearDown]
    public async Task StopServer()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>
    /// Creates a canister with <paramref name="cycles"/> (10^15 when null) as <paramref name="sender"/> on an instance of
    /// <paramref name="client"/>'s server and installs the Motoko counter of the pic-js suite.
    /// </summary>
    private protected static async Task<Principal> InstallCounterAsync(PocketIcTestClient client, int instance, Principal sender, BigInteger? cycles = null)
    {
        Answer created = await client.UpdateAsync(instance, Call(sender, Principal.ManagementCanister, ManagementCanister.ProvisionalCreate,
            CandidArgs.Encode(new ProvisionalCreateCanisterArgs(Amount: cycles ?? new BigInteger(1e15)))));
        Principal id = CandidArgs.Decode<CanisterIdRecord>(Convert.FromBase64String(created.Json!["Ok"]!.GetValue<string>())).CanisterId.ToPrincipal();
        byte[] wasm = Convert.FromBase64String(NodeScript.Run("motoko-compile.mjs", JsPicSuiteTests.CounterSource));
        Answer installed = await client.UpdateAsync(instance, Call(sender, Principal.ManagementCanister, "install_code",
            CandidArgs.Encode(new InstallCodeArgs(new CanisterInstallMode.Install(), CandidPrincipal.FromPrincipal(id), wasm, "DIDL\0\0"u8.ToArray()))));
        Assert.That(installed.Json?["Ok"], Is.Not.Null, installed.Body);
        return id;
    }
}
