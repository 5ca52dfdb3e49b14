using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Browser.Tests.Support;

/// <summary>
/// A small Kestrel server inside the test, on a free 127.0.0.1 port, serving a folder of static files (plus optional
/// routes) to any Host header. Chromium resolves every <c>*.localhost</c> name to loopback by itself, so a page can be
/// opened as <c>http://&lt;name&gt;.localhost:&lt;port&gt;/</c>: a secure context with a host that WebAuthn accepts as an
/// RP ID (an IP address is refused), and one origin per name.
/// </summary>
public sealed class TestWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestWebServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The port it listens on (127.0.0.1 only).</summary>
    public int Port { get; }

    /// <summary>The URL of <paramref name="path"/> under host <c>&lt;name&gt;.localhost</c>.</summary>
    public Uri Url(string name, string path = "/") => new($"http://{name}.localhost:{Port}{path}");

    /// <summary>
    /// Starts serving <paramref name="root"/> (index.html for "/"); <paramref name="before"/> may add middleware that
    /// runs first (for example another page for one host name). Responses are never cached, so a test always sees the
    /// files as they are.
    /// </summary>
    public static async Task<TestWebServer> StartAsync(string root, Action<WebApplication>? before = null)
    {
        if (!Directory.Exists(root))
        {
            throw new ArgumentException($"no folder {root} to serve", nameof(root));
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";
        app.Use(async (context, next) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            await next(context);
        });
        before?.Invoke(app);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ContentTypeProvider = types });
        await Bounded.WaitAsync(app.StartAsync(), "the in-test web server to start");
        string address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestWebServer(app, new Uri(address).Port);
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
