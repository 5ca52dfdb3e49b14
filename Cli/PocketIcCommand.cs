using System.CommandLine;
using System.Globalization;
using System.Net;
using InternetIdentity.PocketIc;
using Microsoft.Extensions.Logging;

namespace InternetIdentity.Cli;

/// <summary>
/// <c>iinet pocket-ic [--port N] [--port-file F] [--ttl S] [--ip-addr A] [--log-levels L]</c>: a PocketIC-compatible server
/// whose instances are local multi-replica subnets (what the <c>pocket-ic</c> launcher next to <c>iinet</c> runs, for
/// clients that start the binary named by <c>POCKET_IC_BIN</c>). <c>--version</c> prints the PocketIC version it follows.
/// </summary>
internal static class PocketIcCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "the port to listen on (0: any free port)", DefaultValueFactory = _ => 0 };
        var portFile = new Option<string?>("--port-file") { Description = "created exclusively, then holds the port once listening; deleted on exit" };
        var ttl = new Option<int>("--ttl") { Description = "seconds with no request in progress after which the server exits", DefaultValueFactory = _ => 60 };
        var ipAddr = new Option<string>("--ip-addr") { Description = "the address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var logLevels = new Option<string>("--log-levels")
        {
            Description = "the lowest level logged to stdout: trace, debug, info, warn, error or off (PocketIC's filter syntax is read for its levels)",
            DefaultValueFactory = _ => "warn",
        };
        var version = new Option<bool>("--version") { Description = "print the PocketIC server version this server follows and exit" };
        var cmd = new Command("pocket-ic", "a PocketIC-compatible server (PocketIC's REST API) whose instances are local subnets of our replicas")
        {
            port, portFile, ttl, ipAddr, logLevels, version,
        };
        cmd.SetAction((r, ct) =>
        {
            if (r.GetValue(version))
            {
                r.InvocationConfiguration.Output.WriteLine(PocketIcServer.VersionText);
                return Task.FromResult(ExitCodes.Success);
            }

            return RunAsync(r.GetValue(port), r.GetValue(portFile), r.GetValue(ttl), r.GetValue(ipAddr)!, r.GetValue(logLevels)!, r.InvocationConfiguration.Error, ct);
        });
        return cmd;
    }

    private static async Task<int> RunAsync(int port, string? portFile, int ttl, string ipAddr, string logLevels, TextWriter error, CancellationToken ct)
    {
        if (!IPAddress.TryParse(ipAddr, out IPAddress? address))
        {
            throw new CliInputException($"--ip-addr: '{ipAddr}' is not an IP address");
        }

        if (port is < 0 or > 65535)
        {
            throw new CliInputException($"--port: {port} is not a port number");
        }

        if (ttl < 1)
        {
            throw new CliInputException($"--ttl: {ttl} is not a positive number of seconds");
        }

        LogLevel level = ParseLogLevels(logLevels);
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        }).SetMinimumLevel(level));
        using var stop = new StopSignals(ct);
        PocketIcServer? server = await PocketIcServer.StartAsync(new PocketIcServerOptions
        {
            Address = address,
            Port = port,
            PortFile = portFile,
            Ttl = TimeSpan.FromSeconds(ttl),
            Logging = logging,
        }, stop.Token).ConfigureAwait(false);
        if (server is null)
        {
            // PocketIC's contract: the port file names the server its clients share; one is running already.
            error.WriteLine($"the port file {portFile} exists: another PocketIC server owns it");
            return ExitCodes.Success;
        }

        await using (server.ConfigureAwait(false))
        {
            try
            {
                await server.WaitUntilIdleAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
            {
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// The lowest level named in PocketIC's <c>--log-levels</c> (a level, or a tracing filter such as
    /// <c>pocket_ic_server=debug,tower_http=info</c>); throws CliInputException when it names none.
    /// </summary>
    internal static LogLevel ParseLogLevels(string text)
    {
        LogLevel? lowest = null;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string name = part.Contains('=', StringComparison.Ordinal) ? part[(part.IndexOf('=', StringComparison.Ordinal) + 1)..] : part;
            LogLevel level = name.ToLower(CultureInfo.InvariantCulture) switch
            {
                "trace" => LogLevel.Trace,
                "debug" => LogLevel.Debug,
                "info" => LogLevel.Information,
                "warn" => LogLevel.Warning,
                "error" => LogLevel.Error,
                "off" => LogLevel.None,
                _ => throw new CliInputException($"--log-levels: '{name}' is not a level (trace, debug, info, warn, error, off)"),
            };
            lowest = lowest is null || level < lowest ? level : lowest;
        }

        return lowest ?? throw new CliInputException("--log-levels: no level given");
    }
}
