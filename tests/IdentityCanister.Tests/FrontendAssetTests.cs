using System.Reflection;
using System.Text;

namespace InternetIdentity.IdentityCanister.Tests;

/// <summary>The web frontend built from IdentityCanister/frontend is embedded as "frontend/&lt;path&gt;" resources.</summary>
public sealed class FrontendAssetTests
{
    private static readonly Assembly Canister = typeof(InternetIdentityCanister).Assembly;

    private static byte[] Resource(string name)
    {
        using Stream? stream = Canister.GetManifestResourceStream(name);
        Assert.That(stream, Is.Not.Null, $"resource {name} is not embedded; resources: {string.Join(", ", Canister.GetManifestResourceNames())}");
        using var copy = new MemoryStream();
        stream!.CopyTo(copy);
        return copy.ToArray();
    }

    [Test]
    public void GetManifestResourceNames_FrontendBuilt_ListsTheAssetsWithForwardSlashes()
    {
        string[] names = Canister.GetManifestResourceNames().Where(n => n.StartsWith("frontend/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

        Assert.That(names, Is.EquivalentTo(new[]
        {
            "frontend/authorize/index.html", "frontend/favicon.ico", "frontend/index.css", "frontend/index.html", "frontend/index.js",
        }));
    }

    [TestCase("frontend/index.html")]
    [TestCase("frontend/authorize/index.html")]
    public void IndexHtml_Embedded_HasTheTitleAndABodyTagTheCanisterCanFixUp(string name)
    {
        string html = Encoding.UTF8.GetString(Resource(name));

        Assert.That(html, Does.Contain("<title>Internet Identity</title>"));
        Assert.That(html, Does.Contain("<body "), "fixup_html replaces \"<body \" with the canister id and config");
        Assert.That(html, Does.Contain("/index.js"));
    }

    [Test]
    public void IndexJs_Embedded_IsAnEsmBundleWithTheCandidInterface()
    {
        string js = Encoding.UTF8.GetString(Resource("frontend/index.js"));

        Assert.That(js, Does.Contain("identity_registration_finish"));
        Assert.That(js, Does.Contain("prepare_delegation"));
        Assert.That(js, Does.Not.Contain("sourceMappingURL"));
    }
}
