using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Gateway;

namespace InternetIdentity.Replica.Tests.Gateway;

public class CanisterResolutionTests
{
    private const string Ii = "rdmx6-jaaaa-aaaaa-aaadq-cai";
    private const string Whoami = "rwlgt-iiaaa-aaaaa-aaaaa-cai";

    private static CanisterTarget Target(string? host, string? query = null, string? referer = null)
    {
        CanisterResolution.Result r = CanisterResolution.Resolve(host, query, referer);
        Assert.That(r.Error, Is.Null);
        return r.Target!.Value;
    }

    private static string Error(string? host, string? query = null, string? referer = null)
    {
        CanisterResolution.Result r = CanisterResolution.Resolve(host, query, referer);
        Assert.That(r.Target, Is.Null);
        return r.Error!;
    }

    [Test]
    public void Resolve_CanisterSubdomainOfLocalhost_VerifiedTarget() =>
        Assert.That(Target($"{Ii}.localhost"), Is.EqualTo(new CanisterTarget(Principal.Parse(Ii), Verify: true)));

    [Test]
    public void Resolve_RawSubdomain_TargetWithoutVerification() =>
        Assert.That(Target($"{Ii}.raw.localhost"), Is.EqualTo(new CanisterTarget(Principal.Parse(Ii), Verify: false)));

    [Test]
    public void Resolve_UpperCaseHostAndCustomPrefix_SameCanister()
    {
        Assert.That(Target($"{Ii.ToUpperInvariant()}.LOCALHOST").CanisterId, Is.EqualTo(Principal.Parse(Ii)));
        Assert.That(Target($"myapp--{Ii}.localhost").CanisterId, Is.EqualTo(Principal.Parse(Ii)));
    }

    [Test]
    public void Resolve_HostWinsOverQueryAndReferer() =>
        Assert.That(Target($"{Ii}.localhost", $"?canisterId={Whoami}", $"http://{Whoami}.localhost:4943/").CanisterId,
            Is.EqualTo(Principal.Parse(Ii)));

    [Test]
    public void Resolve_QueryParameterOnPlainHost_Target()
    {
        Assert.That(Target("127.0.0.1", $"?canisterId={Ii}").CanisterId, Is.EqualTo(Principal.Parse(Ii)));
        Assert.That(Target("localhost", $"a=1&canisterId={Ii}&b=2").CanisterId, Is.EqualTo(Principal.Parse(Ii)));
    }

    [Test]
    public void Resolve_RefererQueryParameter_ResolvesSubresources() =>
        Assert.That(Target("127.0.0.1", null, $"http://127.0.0.1:4943/?canisterId={Ii}#authorize").CanisterId,
            Is.EqualTo(Principal.Parse(Ii)));

    [Test]
    public void Resolve_RefererHost_ResolvesSubresources() =>
        Assert.That(Target("127.0.0.1", "", $"http://{Ii}.localhost:4943/index.html").CanisterId, Is.EqualTo(Principal.Parse(Ii)));

    [Test]
    public void Resolve_NothingNamesACanister_ErrorSaysHow()
    {
        Assert.That(Error("127.0.0.1"), Does.Contain("no canister id").And.Contain("?canisterId="));
        Assert.That(Error(null, null, "not a url"), Does.Contain("no canister id"));
        Assert.That(Error("localhost", "?other=1", "http://example.org/"), Does.Contain("no canister id"));
    }

    [Test]
    public void Resolve_BadCanisterIds_ErrorNamesThem()
    {
        Assert.That(Error("127.0.0.1", "?canisterId=not-a-principal"), Does.Contain("canisterId=not-a-principal is not a valid canister id"));
        Assert.That(Error("nonsense.localhost"), Does.Contain("nonsense in host nonsense.localhost is not a valid canister id"));
        Assert.That(Error($"a.{Ii}.localhost"), Does.Contain("is not <canister-id>.localhost"));
    }
}
