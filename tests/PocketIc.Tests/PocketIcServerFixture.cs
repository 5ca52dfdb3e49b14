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
}
