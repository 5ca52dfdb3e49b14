using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.PocketIc;

/// <summary>
/// A server speaking PocketIC's REST API (the dialect of <c>@dfinity/pic</c>, the Rust <c>pocket-ic</c> crate and
/// EdjCase's client) whose instances are local multi-replica subnets of ours. It follows PocketIC's process contract:
/// the port file is created exclusively and written once listening, and the server stops after <see cref="PocketIcServerOptions.Ttl"/>
/// with no request in progress. Every operation is answered synchronously (200, never 202 or 409).
/// </summary>
public sealed class PocketIcServer : IAsyncDisposable
{
    /// <summary>The PocketIC server version whose API this server follows (the one <c>@dfinity/pic</c> 0.23.0 installs).</summary>
    public const string Version = "14.0.0";

    private readonly WebApplication _app;
    private readonly InstanceRegistry _instances;
    private readonly GatewayRoutes _gateways;
    private readonly PocketIcServerOptions _options;
    private readonly bool _ownsPortFile;
    private long _lastActivity = Stopwatch.GetTimestamp();
    private int _inFlight;
    private int _disposed;

    private PocketIcServer(WebApplication app, InstanceRegistry instances, GatewayRoutes gateways, PocketIcServerOptions options, bool ownsPortFile)
    {
        _app = app;
        _instances = instances;
        _gateways = gateways;
        _options = options;
        _ownsPortFile = ownsPortFile;
    }

    /// <summary>What <c>pocket-ic --version</c> prints.</summary>
    public static string VersionText => "pocket-ic-server " + Version;

    /// <summary>The URL the server listens on.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The instances (for tests and the command's shutdown).</summary>
    public InstanceRegistry Instances => _instances;

    /// <summary>
    /// Starts listening; null when the port file exists already (another server owns it: PocketIC's clients then use that
    /// one). Throws ArgumentException for options out of range.
    /// </summary>
    public static async Task<PocketIcServer?> StartAsync(PocketIcServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"port {options.Port} is not a port number", nameof(options));
        }

        if (options.Ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the time to live {options.Ttl} is not positive", nameof(options));
        }

        if (options.PortFile is { } portFile && !TryReservePortFile(portFile))
        {
            return null;
        }

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRoutingCore();
        if (options.Logging is not null)
        {
            builder.Services.AddSingleton(options.Logging);
        }

        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Address, options.Port);
            k.Limits.MaxRequestBodySize = null; // wasm modules and chunks arrive as base64 in JSON
            k.AddServerHeader = false;
        });
        builder.Services.AddSingleton<IHostLifetime, CommandOwnedLifetime>(); // the command decides what signals do
        var instances = new InstanceRegistry(options.Logging);
        var gateways = new GatewayRoutes(instances);
        WebApplication app = builder.Build();
        var server = new PocketIcServer(app, instances, gateways, options, options.PortFile is not null);
        try
        {
            server.MapRoutes();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.Url = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
            if (options.PortFile is { } file)
            {
                WritePortFile(file, server.Url.Port);
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Completes when the server has had no request in progress for its time to live, or when cancelled.</summary>
    public async Task WaitUntilIdleAsync(CancellationToken cancellationToken)
    {
        TimeSpan step = _options.Ttl < TimeSpan.FromSeconds(1) ? _options.Ttl : TimeSpan.FromSeconds(1);
        using var timer = new PeriodicTimer(step);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Volatile.Read(ref _inFlight) == 0 && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastActivity)) >= _options.Ttl)
            {
                return;
            }
        }
    }

    /// <summary>Stops listening and every instance, and deletes the port file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            await _instances.DisposeAsync().ConfigureAwait(false);
            _gateways.Dispose();
        }
        finally
        {
            if (_ownsPortFile && _options.PortFile is { } file)
            {
                File.Delete(file);
            }
        }
    }

    private void MapRoutes()
    {
        _app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _inFlight);
            Interlocked.Exchange(ref _lastActivity, Stopwatch.GetTimestamp());
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (PocketIcException e) when (!context.Response.HasStarted)
            {
                await WriteErrorAsync(context, e.Status, e.Message, e.PlainText).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException && !context.Response.HasStarted)
            {
                // A subnet that did not certify in time, or a replica that stopped: the server's fault, said as PocketIC says it.
                await WriteErrorAsync(context, 500, e.Message, plainText: false).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Exchange(ref _lastActivity, Stopwatch.GetTimestamp());
                Interlocked.Decrement(ref _inFlight);
            }
        });
        InstanceRoutes.Map(_app, _instances);
        var blobs = new BlobStore();
        CallRoutes.Map(_app, _instances, blobs);
        _gateways.Map(_app);
        blobs.Map(_app);
        _app.MapGet("/status", () => Results.Ok()).WithSummary("200 while the server runs");
        _app.MapGet("/read_graph/{stateLabel}/{opId}", (string stateLabel, string opId) =>
            PocketIcJson.Result(new JsonObject { ["message"] = $"no operation {opId} is running: this server answers every operation synchronously" }, 404))
            .WithSummary("the result of an operation answered with 202 (never: every operation is synchronous)");
        _app.MapDelete("/prune_graph/{stateLabel}/{opId}", (string stateLabel, string opId) => PocketIcJson.Unit()).WithSummary("forgets an operation's result");
        _app.MapGet("/api.json", (IEnumerable<EndpointDataSource> sources) => PocketIcJson.Result(ApiDescription.Describe(sources, Version)))
            .WithSummary("this description");
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message, bool plainText)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = plainText ? "text/plain; charset=utf-8" : "application/json";
        return context.Response.WriteAsync(plainText ? message : PocketIcJson.ToJson(new JsonObject { ["message"] = message }), Encoding.UTF8);
    }

    // PocketIC's clients share a server through the port file: whoever creates it runs the server.
    private static bool TryReservePortFile(string path)
    {
        try
        {
            using FileStream _ = new(path, FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    // Written beside and renamed over the reserved file: a reader sees nothing (empty) or "<port>\n", never part of it.
    private static void WritePortFile(string path, int port)
    {
        string temporary = path + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(temporary, port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    private sealed class CommandOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
