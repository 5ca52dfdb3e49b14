using System.CommandLine;
using System.Diagnostics;
using System.Net;
using InternetIdentity.Replica.Canisters;
using InternetIdentity.Replica.Genesis;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Persistence;
using InternetIdentity.Replica.State;

namespace InternetIdentity.Cli;

/// <summary>`iinet up`: runs a local subnet in this process until Ctrl-C.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "HTTP port of replica 0 (replica i uses port + i)", DefaultValueFactory = _ => 4943 };
        var replicas = new Option<int>("--replicas") { Description = "number of replicas (n = 3f+1 tolerates f faults)", DefaultValueFactory = _ => 4 };
        var dataDir = new Option<string>("--data-dir") { Description = "where the subnet's keys and state live (SQLite, one file per replica)", DefaultValueFactory = _ => ".iinet" };
        Option<string?> postgres = StorageOptions.Postgres();
        var reset = new Option<bool>("--reset") { Description = "forget the subnet in --data-dir (and its state) and create a new one" };
        var dummyAuth = new Option<bool>("--ii-dummy-auth")
        {
            Description = "II's frontend signs in with a software key instead of a passkey, as II's development builds (for @dfinity/internet-identity-playwright); set when the subnet is created",
        };
        var captcha = new Option<bool>("--ii-captcha")
        {
            Description = "II asks for a captcha on registration (off by default locally; with --ii-dummy-auth the solution is \"a\"); set when the subnet is created",
        };
        var assets = new Option<string[]>("--assets")
        {
            Description = "host a folder (e.g. a dapp's built frontend) as a certified assets canister at the next canister id; repeatable; set when the subnet is created",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var alternativeOrigins = new Option<string[]>("--ii-alternative-origins")
        {
            Description = "an origin (scheme://host[:port]) that II's /.well-known/ii-alternative-origins lists, for II frontends elsewhere that derive with II's origin; repeatable, at most 10; set when the subnet is created",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var time = new Option<string>("--time")
        {
            Description = "how the subnet's time moves: system (wall clock plus what /_/time/advance adds) or manual (only on /_/time and /_/tick; blocks only on ticks)",
            DefaultValueFactory = _ => "system",
        };
        time.AcceptOnlyFromAmong("system", "manual");
        var chargeCycles = new Option<bool>("--charge-cycles")
        {
            Description = "hosted canisters pay the IC's fees (13-node application subnet) and are refused with IC0207 when out of cycles; off by default; set when the subnet is created",
        };
        var cmd = new Command("up", "start a local subnet running Internet Identity and serve the IC HTTP interface and the test API under /_/")
        {
            port, replicas, dataDir, postgres, reset, dummyAuth, captcha, assets, alternativeOrigins, time, chargeCycles,
        };
        cmd.SetAction((r, ct) => RunAsync(r.GetValue(port), r.GetValue(replicas), r.GetValue(dataDir)!, r.GetValue(reset),
            r.InvocationConfiguration.Output, ct, r.GetValue(postgres), new SubnetCanisterOptions(r.GetValue(dummyAuth), r.GetValue(captcha),
                IiAlternativeOrigins: r.GetValue(alternativeOrigins) ?? []),
            r.GetValue(assets) ?? [], r.GetValue(time) == "manual" ? SubnetTimeMode.Manual : SubnetTimeMode.System, r.GetValue(chargeCycles)));
        return cmd;
    }

    internal static async Task<int> RunAsync(int port, int replicas, string dataDir, bool reset, TextWriter output, CancellationToken ct,
        string? postgres = null, SubnetCanisterOptions? canisters = null, IReadOnlyList<string>? assetFolders = null,
        SubnetTimeMode time = SubnetTimeMode.System, bool chargeCycles = false)
    {
        canisters ??= new SubnetCanisterOptions();
        assetFolders ??= [];
        canisters = canisters with { Sites = [.. assetFolders.Select(ReadSite)] };
        try
        {
            _ = IdentityCanister.InternetIdentityCanister.InstallForLocalDevelopment(SubnetCanisters.InternetIdentityId,
                alternativeOrigins: canisters.IiAlternativeOrigins);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException("--ii-alternative-origins: " + e.Message.Split(" (Parameter", 2)[0]);
        }
        if (port is < 1 or > 65535 || port + replicas - 1 > 65535)
        {
            throw new CliInputException($"--port: {port} is not a usable port for {replicas} replicas");
        }

        if (replicas is < 1 or > 100)
        {
            throw new CliInputException($"--replicas: {replicas} is not between 1 and 100");
        }

        var started = Stopwatch.StartNew();
        ReplicaStorage storage = StorageOptions.Storage(Path.Combine(dataDir, "state"), postgres);
        IReadOnlyList<GenesisConfig> configs;
        SubnetCanisterOptions asked = canisters;
        try
        {
            string genesisDir = Path.Combine(dataDir, "genesis");
            bool created;
            (configs, created) = LoadOrCreate(genesisDir, replicas, port, reset, output, storage);
            if (created)
            {
                CanisterSettingsFile.Write(genesisDir, canisters, assetFolders, chargeCycles);
            }
            else
            {
                CanisterSettingsFile.Created kept = CanisterSettingsFile.Read(genesisDir);
                if (!kept.AssetFolders.SequenceEqual(assetFolders.Select(Path.GetFullPath)) || !SameSites(kept.Options.Sites, asked.Sites))
                {
                    output.WriteLine("note: the subnet keeps the sites it was created with (" + (kept.AssetFolders.Count == 0 ? "none" : string.Join(", ", kept.AssetFolders))
                        + "), as they were then; add --reset to create the subnet anew with --assets as given");
                }

                if (kept.ChargeCycles != chargeCycles)
                {
                    output.WriteLine("note: the subnet keeps " + (kept.ChargeCycles ? "charging" : "not charging")
                        + " cycles as it was created; add --reset to create the subnet anew with --charge-cycles as given");
                }

                canisters = kept.Options;
                chargeCycles = kept.ChargeCycles;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"--data-dir: cannot use {Path.GetFullPath(dataDir)}: {e.Message}");
        }

        output.WriteLine("state in     " + storage.Describe());
        foreach (GenesisConfig config in configs)
        {
            StorageOptions.Prepare(storage, config.NodeIndex);
        }

        using var stop = new StopSignals(ct);
        using Microsoft.Extensions.Logging.ILoggerFactory logging = ReplicaLogging.Create();
        output.WriteLine($"starting {replicas} replica(s) of subnet {configs[0].SubnetId} ...");
        LocalSubnet subnetStarted;
        try
        {
            subnetStarted = await LocalSubnet.StartAsync(configs, () => SubnetCanisters.Create(canisters), new SubnetClock(time), IPAddress.Loopback, port,
                logging, cancellationToken: stop.Token, replicaOptions: o => o with { Storage = storage }, testApi: true, chargeCycles: chargeCycles).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM while the replicas start: what had started is stopped by StartAsync itself.
            return Interrupted(output);
        }
        catch (Npgsql.NpgsqlException e)
        {
            throw new CliInputException($"--postgres: cannot use the database: {e.Message}");
        }
        catch (IOException e)
        {
            throw new CliInputException($"--port: cannot listen on 127.0.0.1 ports {port}..{port + replicas - 1}: {e.Message}");
        }

        await using LocalSubnet subnet = subnetStarted;
        CertifiedState state;
        try
        {
            state = await subnet.WaitUntilCertifiedAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            return Interrupted(output);
        }

        output.WriteLine($"certified height {state.Height} after {started.ElapsedMilliseconds} ms");
        output.WriteLine("url          " + subnet.Url.ToString().TrimEnd('/'));
        output.WriteLine("root_key     " + Convert.ToHexStringLower(configs[0].RootKeyDer));
        output.WriteLine("subnet_id    " + configs[0].SubnetId);
        output.WriteLine($"time         {time.ToString().ToLowerInvariant()} ({SubnetClock.Format(subnet.Time.NowNanos)}); test API at {subnet.Url.ToString().TrimEnd('/')}/_/");
        output.WriteLine("ii           " + SubnetCanisters.InternetIdentityId + IiSettings(canisters, asked, output));
        output.WriteLine("whoami       " + WhoamiCanister.Id);
        for (int i = 0; i < (canisters.Sites?.Count ?? 0); i++)
        {
            output.WriteLine($"assets       http://{SubnetCanisters.AssetsCanisterId(i)}.localhost:{subnet.Url.Port}/");
        }

        output.WriteLine($"ii frontend  http://{SubnetCanisters.InternetIdentityId}.localhost:{subnet.Url.Port}/");
        for (int i = 1; i < subnet.Gateways.Count; i++)
        {
            output.WriteLine($"replica {i}    " + subnet.Gateways[i].Url.ToString().TrimEnd('/'));
        }

        output.WriteLine("ready: point @dfinity/agent at the url with shouldFetchRootKey: true; Ctrl-C stops");
        output.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        output.WriteLine("stopping ...");
        return ExitCodes.Success;
    }

    // Stopped by a signal before the ready line: a clean stop, as after it (exit 0), saying so.
    private static int Interrupted(TextWriter output)
    {
        output.WriteLine("interrupted before the network was ready; stopping ...");
        return ExitCodes.Success;
    }

    private static IReadOnlyList<(string Path, byte[] Body)> ReadSite(string folder)
    {
        try
        {
            IReadOnlyList<(string Path, byte[] Body)> files = AssetsCanister.ReadFolder(folder);
            return files.Count > 0 ? files : throw new CliInputException($"--assets: {Path.GetFullPath(folder)} has no files to serve");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"--assets: cannot use {Path.GetFullPath(folder)}: {e.Message}");
        }
    }

    private static bool SameSites(IReadOnlyList<IReadOnlyList<(string Path, byte[] Body)>>? kept, IReadOnlyList<IReadOnlyList<(string Path, byte[] Body)>>? asked)
    {
        kept ??= [];
        asked ??= [];
        if (kept.Count != asked.Count)
        {
            return false;
        }

        for (int i = 0; i < kept.Count; i++)
        {
            if (kept[i].Count != asked[i].Count)
            {
                return false;
            }

            for (int j = 0; j < kept[i].Count; j++)
            {
                if (kept[i][j].Path != asked[i][j].Path || !kept[i][j].Body.AsSpan().SequenceEqual(asked[i][j].Body))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // II keeps the settings the subnet was created with; say which are in force, and when they differ from the flags.
    private static string IiSettings(SubnetCanisterOptions used, SubnetCanisterOptions asked, TextWriter output)
    {
        string settings = $"dummy auth {OnOff(used.IiDummyAuth)}, captcha {OnOff(used.IiCaptcha)}"
            + (used.IiAlternativeOrigins is { Count: > 0 } a ? ", alternative origins " + string.Join(" ", a) : "");
        if (used.IiDummyAuth != asked.IiDummyAuth || used.IiCaptcha != asked.IiCaptcha
            || !(used.IiAlternativeOrigins ?? []).SequenceEqual(asked.IiAlternativeOrigins ?? []))
        {
            output.WriteLine($"note: Internet Identity keeps the settings this subnet was created with ({settings}); add --reset to create the subnet anew with --ii-dummy-auth / --ii-captcha / --ii-alternative-origins as given");
        }

        return $" ({settings})";
    }

    private static string OnOff(bool on) => on ? "on" : "off";

    private static (IReadOnlyList<GenesisConfig> Configs, bool Created) LoadOrCreate(string dir, int replicas, int port, bool reset, TextWriter output, ReplicaStorage storage)
    {
        string first = Path.Combine(dir, GenesisBuilder.FileName(0));
        if (reset && Directory.Exists(dir))
        {
            // The old subnet's journal and checkpoints go with its keys.
            if (File.Exists(first))
            {
                GenesisConfig old = GenesisConfig.Load(first);
                StorageOptions.Use(() =>
                {
                    storage.Reset(old.SubnetId.ToString(), old.Replicas);
                    return true;
                });
            }

            Directory.Delete(dir, recursive: true);
        }

        if (!File.Exists(first))
        {
            IReadOnlyList<GenesisConfig> created = GenesisBuilder.Create(replicas, "127.0.0.1", port);
            GenesisBuilder.Write(created, dir);
            output.WriteLine($"created a new subnet in {dir}");
            return (created, true);
        }

        var configs = new List<GenesisConfig>();
        for (int i = 0; File.Exists(Path.Combine(dir, GenesisBuilder.FileName(i))); i++)
        {
            configs.Add(GenesisConfig.Load(Path.Combine(dir, GenesisBuilder.FileName(i))));
        }

        if (configs.Count != replicas || configs[0].Replicas != replicas)
        {
            throw new CliInputException($"{dir} holds a subnet of {configs[0].Replicas} replicas, not {replicas}; pass --replicas {configs[0].Replicas} or --reset");
        }

        if (configs.Any(c => c.SubnetId != configs[0].SubnetId))
        {
            throw new CliInputException($"{dir} holds configurations of different subnets; pass --reset");
        }

        return (configs, false);
    }
}
