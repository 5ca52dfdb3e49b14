using System.CommandLine;
using System.IO.Compression;
using InternetIdentity.Agent.Http;
using InternetIdentity.Agent.Identities;
using InternetIdentity.CanisterRuntime;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Candid.Text;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Cli;

/// <summary>
/// <c>iinet deploy --wasm FILE [--candid FILE] [--arg CANDID | --arg-file FILE] [--canister ID] [--mode install|reinstall|upgrade]
/// [--url URL] [--data-dir DIR]</c>: creates a canister (unless <c>--canister</c> names one) and installs the module through
/// the management canister, as the developer identity kept in <c>DIR/identity.pem</c> (made on first use), then prints
/// the canister id and its URL. The argument is Candid text (typed by the .did's init arguments when <c>--candid</c> is
/// given, else by inference from the text), hex of Candid binary, or a file of Candid binary.
/// </summary>
internal static class DeployCommand
{
    public static Command Create()
    {
        var wasm = new Option<string>("--wasm") { Description = "the canister module (.wasm or .wasm.gz)", Required = true };
        var candid = new Option<string?>("--candid") { Description = "the canister's .did file, kept as DIR/canisters/<id>.did" };
        var arg = new Option<string?>("--arg")
        {
            Description = "the init/upgrade argument as Candid text, e.g. '(record { owner = principal \"aaaaa-aa\"; n = 5 : nat })' "
                + "(typed by --candid's init arguments, else inferred from the text), or hex of its Candid binary (4449444c...)",
        };
        var argFile = new Option<string?>("--arg-file") { Description = "a file holding the argument's Candid binary" };
        var canister = new Option<string?>("--canister") { Description = "install into this existing canister instead of creating one" };
        var mode = new Option<string?>("--mode") { Description = "install | reinstall | upgrade (default: install a new canister, upgrade an existing one)" };
        var url = new Option<string>("--url") { Description = "a replica of the network", DefaultValueFactory = _ => "http://127.0.0.1:4943" };
        var dataDir = new Option<string>("--data-dir") { Description = "where the developer identity is kept (identity.pem)", DefaultValueFactory = _ => ".iinet" };
        var cmd = new Command("deploy", "create a canister and install a wasm module into it (or upgrade one), through the management canister")
        {
            wasm, candid, arg, argFile, canister, mode, url, dataDir,
        };
        cmd.SetAction((r, ct) =>
        {
            string? did = ReadDid(r.GetValue(candid));
            return RunAsync(new DeployRequest(
                    r.GetValue(wasm)!, r.GetValue(candid), Argument(r.GetValue(arg), r.GetValue(argFile), did, out string typing), ParseCanister(r.GetValue(canister)),
                    r.GetValue(mode), ParseUrl(r.GetValue(url)!), r.GetValue(dataDir)!, typing),
                r.InvocationConfiguration.Output, ct);
        });
        return cmd;
    }

    internal sealed record DeployRequest(string Wasm, string? Candid, byte[] Arg, Principal? Canister, string? Mode, Uri Url, string DataDir, string ArgTyping = "");

    internal static async Task<int> RunAsync(DeployRequest request, TextWriter output, CancellationToken ct)
    {
        byte[] module = Read(request.Wasm, "--wasm");
        string? did = ReadDid(request.Candid);
        CanisterInstallMode mode = Mode(request.Mode, request.Canister is null, module);
        SignIdentity identity = LoadOrCreateIdentity(request.DataDir, output);
        using HttpAgent agent = await ConnectAsync(request.Url, identity, ct).ConfigureAwait(false);
        try
        {
            Principal id = request.Canister ?? (await agent.CallAsync<CanisterIdRecord>(Principal.ManagementCanister, "provisional_create_canister_with_cycles",
                CandidArgs.Encode(new ProvisionalCreateCanisterArgs()), ct).ConfigureAwait(false)).CanisterId.ToPrincipal();
            await agent.CallAsync(Principal.ManagementCanister, "install_code",
                CandidArgs.Encode(new InstallCodeArgs(mode, CandidPrincipal.FromPrincipal(id), module, request.Arg)), ct).ConfigureAwait(false);
            if (did is not null)
            {
                string path = Path.Combine(request.DataDir, "canisters", id + ".did");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, did);
            }

            output.WriteLine($"canister: {id}");
            output.WriteLine($"mode: {ModeName(mode)}");
            if (request.ArgTyping.Length > 0)
            {
                output.WriteLine($"argument: {request.ArgTyping}");
            }

            output.WriteLine($"url: {request.Url.Scheme}://{id}.localhost:{request.Url.Port}/");
            output.WriteLine($"controller: {identity.Principal}");
            return ExitCodes.Success;
        }
        catch (IcRejectException e)
        {
            output.WriteLine($"rejected ({e.ErrorCode ?? "code " + (int)e.Code}): {e.RejectMessage}");
            return ExitCodes.Invalid;
        }
    }

    private static async Task<HttpAgent> ConnectAsync(Uri url, SignIdentity identity, CancellationToken ct)
    {
        try
        {
            return await HttpAgent.CreateAsync(new HttpAgentOptions { Host = url, Identity = identity }, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliInputException($"--url: no network answers at {url}: {e.Message}");
        }
    }

    /// <summary>The developer identity in DIR/identity.pem, made (Ed25519) the first time.</summary>
    internal static SignIdentity LoadOrCreateIdentity(string dataDir, TextWriter output)
    {
        string path = Path.Combine(dataDir, "identity.pem");
        if (File.Exists(path))
        {
            return IdentityPem.Load(File.ReadAllText(path));
        }

        Directory.CreateDirectory(dataDir);
        Ed25519Identity created = Ed25519Identity.Generate();
        File.WriteAllText(path, created.ToPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        output.WriteLine($"identity: created {path} ({created.Principal})");
        return created;
    }

    // Upgrading a module that keeps its heap (Motoko's enhanced orthogonal persistence) needs wasm_memory_persistence = keep.
    internal static CanisterInstallMode Mode(string? mode, bool newCanister, byte[] module) => (mode ?? (newCanister ? "install" : "upgrade")) switch
    {
        "install" => new CanisterInstallMode.Install(),
        "reinstall" => new CanisterInstallMode.Reinstall(),
        "upgrade" when newCanister => throw new CliInputException("--mode upgrade needs --canister (a new canister has nothing to upgrade)"),
        "upgrade" => new CanisterInstallMode.Upgrade(KeepsHeap(module) ? new UpgradeOptions(WasmMemoryPersistence: WasmMemoryPersistence.Keep) : null),
        string other => throw new CliInputException($"--mode: '{other}' is not install, reinstall or upgrade"),
    };

    private static string ModeName(CanisterInstallMode mode) => mode switch
    {
        CanisterInstallMode.Install => "install",
        CanisterInstallMode.Reinstall => "reinstall",
        _ => "upgrade",
    };

    private static bool KeepsHeap(byte[] module)
    {
        try
        {
            byte[] raw = module is [0x1f, 0x8b, ..] ? Gunzip(module) : module;
            return CanisterRuntime.Wasm.WasmModuleInfo.Parse(raw).CustomSections.Any(s => s.Name.EndsWith(CanisterModule.EnhancedOrthogonalPersistenceSection, StringComparison.Ordinal));
        }
        catch (Exception e) when (e is CanisterRuntime.Wasm.WasmFormatException or InvalidDataException)
        {
            return false; // the replica refuses the module with the IC's own text
        }
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// The argument bytes: <c>--arg</c> as Candid text (typed by the init arguments of <paramref name="did"/> when given,
    /// else inferred) or as hex of Candid binary, or <c>--arg-file</c>; none gives <c>()</c>. <paramref name="typing"/>
    /// says how a text argument was typed.
    /// </summary>
    internal static byte[] Argument(string? text, string? file, string? did, out string typing)
    {
        typing = "";
        if (text is not null && file is not null)
        {
            throw new CliInputException("give --arg or --arg-file, not both");
        }

        byte[] bytes;
        if (file is not null)
        {
            bytes = Read(file, "--arg-file");
        }
        else if (text is null)
        {
            bytes = CandidArgs.Encode();
        }
        else if (text.TrimStart().StartsWith('(') || HexOrNull(text) is not { } hex)
        {
            bytes = FromText(text, did, out typing);
        }
        else
        {
            bytes = hex;
        }

        try
        {
            CandidArgs.Decode(bytes);
        }
        catch (CandidFormatException e)
        {
            throw new CliInputException($"the argument is not Candid binary: {e.Message}");
        }

        return bytes;
    }

    private static byte[] FromText(string text, string? did, out string typing)
    {
        try
        {
            IReadOnlyList<CandidType>? types = null;
            if (did is not null)
            {
                CandidServiceDefinition service;
                try
                {
                    service = CandidServiceDefinition.Parse(did);
                }
                catch (CandidTextException e)
                {
                    throw new CliInputException($"--candid: {e.Message}");
                }

                types = service.InitArgs ?? [];
                typing = $"typed by the .did's init arguments ({string.Join(", ", types.Select(CandidTextWriter.TypeToString))})";
            }
            else
            {
                typing = "types inferred from the text (give --candid FILE to type it by the .did's init arguments)";
            }

            return CandidTextValues.Encode(text, types);
        }
        catch (CandidTextException e)
        {
            throw new CliInputException($"--arg: {e.Message}");
        }
    }

    private static string? ReadDid(string? path) =>
        path is null ? null : File.Exists(path) ? File.ReadAllText(path) : throw new CliInputException($"--candid: no file {path}");

    private static byte[]? HexOrNull(string text)
    {
        try
        {
            return Convert.FromHexString(text.StartsWith("0x", StringComparison.Ordinal) ? text[2..] : text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Read(string path, string option) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new CliInputException($"{option}: no file {path}");

    private static Principal? ParseCanister(string? text) =>
        text is null ? null
        : Principal.TryParse(text, out Principal? p, out string? error) ? p
        : throw new CliInputException($"--canister: {error}");

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https"
            ? url
            : throw new CliInputException($"--url: '{text}' is not an http(s) URL");
}
