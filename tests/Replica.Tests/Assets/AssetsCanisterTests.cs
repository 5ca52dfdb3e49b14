using System.Text;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Http;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Hosting;

namespace InternetIdentity.Replica.Tests.Assets;

public class AssetsCanisterTests
{
    private static readonly Principal Id = SubnetCanisters.AssetsCanisterId(0);
    private string _dir = null!;

    [SetUp]
    public void CreateFolder()
    {
        _dir = Directory.CreateTempSubdirectory("iinet-assets-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "js"));
        Directory.CreateDirectory(Path.Combine(_dir, ".well-known"));
        Directory.CreateDirectory(Path.Combine(_dir, ".git"));
        File.WriteAllText(Path.Combine(_dir, "index.html"), "<!doctype html><title>dapp</title>");
        File.WriteAllText(Path.Combine(_dir, "js", "main.js"), "console.log(1)");
        File.WriteAllText(Path.Combine(_dir, ".well-known", "ii-alternative-origins"), "{\"alternativeOrigins\":[\"http://localhost:5173\"]}");
        File.WriteAllText(Path.Combine(_dir, ".git", "HEAD"), "ref: refs/heads/main");
        File.WriteAllText(Path.Combine(_dir, ".env"), "SECRET=1");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private static HttpResponse Get(ICanister canister, string url)
    {
        CanisterReply reply = canister.Query(new QueryContext(Principal.Anonymous.Bytes.ToArray(), 1, null, Id.Bytes.ToArray()), "http_request",
            CanisterHttpInterface.EncodeRequest(HttpRequest.Get(url, 2)));
        return CanisterHttpInterface.DecodeResponse(((CanisterReply.Replied)reply).Candid.Span);
    }

    [Test]
    public void ReadFolder_HiddenFiles_LeftOutButWellKnown()
    {
        var paths = AssetsCanister.ReadFolder(_dir).Select(f => f.Path).ToArray();
        Assert.That(paths, Is.EquivalentTo(new[] { ".well-known/ii-alternative-origins", "index.html", "js/main.js" }));
    }

    [Test]
    public void ReadFolder_Missing_ThrowsNamingIt() =>
        Assert.That(() => AssetsCanister.ReadFolder(Path.Combine(_dir, "nope")),
            Throws.TypeOf<DirectoryNotFoundException>().With.Message.Contains("nope"));

    [Test]
    public void HttpRequest_Files_ServedWithContentTypes()
    {
        var canister = new AssetsCanister(Id, AssetsCanister.ReadFolder(_dir));
        HttpResponse index = Get(canister, "/");
        Assert.That((index.StatusCode, Encoding.UTF8.GetString(index.Body.Span)), Is.EqualTo(((ushort)200, "<!doctype html><title>dapp</title>")));
        Assert.That(Get(canister, "/js/main.js").HeaderValue("Content-Type"), Is.EqualTo("text/javascript"));
        HttpResponse origins = Get(canister, "/.well-known/ii-alternative-origins");
        Assert.That(origins.StatusCode, Is.EqualTo(200));
        Assert.That(Get(canister, "/.env").StatusCode, Is.EqualTo(404));
        Assert.That(canister.CertifiedData.Length, Is.EqualTo(32));
    }

    [Test]
    public void Snapshot_RestoredIntoAnotherSite_ServesTheSnapshotFiles()
    {
        var original = new AssetsCanister(Id, AssetsCanister.ReadFolder(_dir));
        var other = new AssetsCanister(Id, [("index.html", "<p>other</p>"u8.ToArray())]);
        ICanister viewBefore = other.QueryView();
        other.Restore(original.Snapshot());
        Assert.That(other.CertifiedData.ToArray(), Is.EqualTo(original.CertifiedData.ToArray()));
        Assert.That(other.Snapshot(), Is.EqualTo(original.Snapshot()));
        Assert.That(Encoding.UTF8.GetString(Get(viewBefore, "/").Body.Span), Is.EqualTo("<p>other</p>"), "a view keeps its state");
    }

    [Test]
    public void Restore_Garbage_ThrowsFormatException()
    {
        var canister = new AssetsCanister(Id, AssetsCanister.ReadFolder(_dir));
        Assert.Throws<FormatException>(() => canister.Restore("not a snapshot"u8));
        byte[] truncated = canister.Snapshot()[..^3];
        Assert.Throws<FormatException>(() => canister.Restore(truncated));
    }

    [Test]
    public void AssetsCanisterId_SkipsInternetIdentity()
    {
        Principal[] ids = [.. Enumerable.Range(0, 8).Select(SubnetCanisters.AssetsCanisterId)];
        Assert.That(ids, Does.Not.Contain(SubnetCanisters.InternetIdentityId));
        Assert.That(ids, Is.Unique);
        Assert.That(ids[0], Is.EqualTo(Principal.CanisterId(1)));
    }
}
