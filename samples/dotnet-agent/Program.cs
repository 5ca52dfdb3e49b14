// A .NET dapp backend's view of a local network (`iinet up`): register a test anchor in Internet Identity with a
// software key, sign in to an origin as II's frontend would for a dapp, and call whoami as the dapp's pseudonym.
using InternetIdentity.Agent.Canisters;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.Protocol.Principals;

string url = "http://127.0.0.1:4943";
string origin = "https://dapp.example";
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--url" when i + 1 < args.Length: url = args[++i]; break;
        case "--origin" when i + 1 < args.Length: origin = args[++i]; break;
        default:
            Console.Error.WriteLine("usage: DotnetAgentSample [--url http://127.0.0.1:4943] [--origin https://dapp.example]");
            return 2;
    }
}

if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? host))
{
    Console.Error.WriteLine($"--url: {url} is not a URL");
    return 2;
}

try
{
    // A local network's root key is fetched from /api/v2/status (never do this on mainnet: pin IcRootKeys.MainnetDer).
    Ed25519Identity device = Ed25519Identity.Generate();
    using HttpAgent agent = await HttpAgent.CreateAsync(new HttpAgentOptions { Host = host, Identity = device });
    var ii = new InternetIdentityClient(agent);
    await agent.SyncTimeAsync(ii.CanisterId); // the network's time may have been moved through its test API

    // II's registration flow with the device key as the anchor's one authentication method ("a": II's dummy captcha).
    ulong anchor = await ii.RegisterAsync("sample device");
    Console.WriteLine($"anchor     {anchor}");

    // What II's frontend does when a dapp at `origin` asks for a login: a delegation from the pseudonym to a session key.
    Ed25519Identity sessionKey = Ed25519Identity.Generate();
    DelegationIdentity user = await ii.LoginAsync(anchor, origin, sessionKey);
    Console.WriteLine($"origin     {origin}");

    Principal caller = await new WhoamiClient(agent.WithIdentity(user)).WhoamiAsync();
    Console.WriteLine($"principal  {caller}");
    if (caller != user.Chain.Principal)
    {
        Console.Error.WriteLine($"whoami answered {caller}, not the delegation's principal {user.Chain.Principal}");
        return 1;
    }

    return 0;
}
catch (Exception e) when (e is IcAgentException or HttpRequestException or TimeoutException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
