using System.Text;
using InternetIdentity.CanisterRuntime;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// A canister created through the management canister: its module, if one is installed, running in a
/// <see cref="WasmCanister"/>, and what the IC keeps beside the code: run status, cycles, settings and controllers.
/// Transactional (the runtime rolls a trapping message back itself). Not thread-safe: execution owns it.
/// </summary>
public sealed class HostedCanister : ICanister, ICanisterSnapshots, ICanisterQueryView, IDisposable
{
    private static readonly ExportedMethods s_none = new([], []);
    private static readonly byte[] s_magic = "IIHC"u8.ToArray();
    private const byte FormatVersion = 2;
    private readonly CanisterEngine _engine;
    private readonly CanisterEnvironment _environment;
    private IReadOnlyList<Principal> _controllers;
    private CanisterRunStatus _status = CanisterRunStatus.Running;
    private UInt128 _cycles;
    private ulong _version;
    private (WasmCanister? Wasm, ulong Version, CanisterRunStatus Status, HostedCanisterView View)? _view;

    /// <summary>An empty canister (no module) with its controllers and cycles.</summary>
    public HostedCanister(CanisterEngine engine, CanisterEnvironment environment, IReadOnlyList<Principal> controllers, UInt128 cycles)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        _controllers = controllers ?? throw new ArgumentNullException(nameof(controllers));
        _cycles = cycles;
        Id = Principal.FromBytes(environment.CanisterId.Span);
    }

    /// <summary>The canister id.</summary>
    public Principal Id { get; }

    /// <summary>The running module, or null while the canister is empty.</summary>
    public WasmCanister? Wasm { get; private set; }

    /// <summary>The installed module's bytes as given (possibly gzip-compressed), or null.</summary>
    public byte[]? ModuleBytes { get; private set; }

    /// <summary>The settings other than controllers (accepted and reported; only the log visibility is enforced).</summary>
    public CanisterSettingsState Settings { get; set; } = CanisterSettingsState.Default;

    /// <summary>The controllers (also what <c>ic0.is_controller</c> answers).</summary>
    public IReadOnlyList<Principal> Controllers
    {
        get => _controllers;
        set
        {
            _controllers = value ?? throw new ArgumentNullException(nameof(value));
            Wasm?.Controllers = [.. value.Select(c => (ReadOnlyMemory<byte>)c.ToArray())];
        }
    }

    /// <summary>Running, stopping or stopped.</summary>
    public CanisterRunStatus Status
    {
        get => _status;
        set
        {
            _status = value;
            Wasm?.Status = ToRuntime(value);
        }
    }

    /// <summary>The cycle balance (the module's once one is installed; charged only when the subnet charges cycles).</summary>
    public UInt128 Cycles
    {
        get => Wasm?.CyclesBalance ?? _cycles;
        set
        {
            _cycles = value;
            Wasm?.CyclesBalance = value;
        }
    }

    /// <summary>
    /// The canister version, as <c>canister_status</c>, <c>canister_info</c> and <c>ic0.canister_version</c> report it:
    /// it only grows over the canister's life (install, reinstall, upgrade, uninstall, controllers changes, executions).
    /// </summary>
    public ulong Version
    {
        get => Wasm?.Version ?? _version;
        set
        {
            _version = value;
            Wasm?.Version = value;
        }
    }

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> CertifiedData => Wasm?.CertifiedData ?? ReadOnlyMemory<byte>.Empty;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> ModuleHash => Wasm?.ModuleHash ?? ReadOnlyMemory<byte>.Empty;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, CanisterMetadata> Metadata => Wasm?.Metadata ?? new Dictionary<string, CanisterMetadata>();

    /// <inheritdoc/>
    public ExportedMethods Exports => Wasm?.Exports ?? s_none;

    /// <inheritdoc/>
    public bool IsTransactional => true;

    /// <summary>The IC's reject for a message to a canister with no module (IC0537).</summary>
    public CanisterReply EmptyReject() => CanisterReply.Reject(RejectCode.CanisterError,
        $"Error from Canister {Id}: Attempted to execute a message, but the canister contains no Wasm module.", "IC0537");

    /// <inheritdoc/>
    public CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument) =>
        Wasm is null ? EmptyReject() : Wasm.Update(context, method, argument);

    /// <inheritdoc/>
    public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument) =>
        Wasm is null ? EmptyReject() : Wasm.Query(context, method, argument);

    /// <summary>
    /// Installs <paramref name="wasm"/> (install or reinstall: a fresh module, <c>canister_init</c> with the argument) or
    /// upgrades to it. Returns null when done, else the reject; the canister is then as before.
    /// </summary>
    public CanisterReply? InstallCode(CanisterInstallMode mode, byte[] wasm, byte[] argument, Principal caller, ulong timeNanos)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(wasm);
        ArgumentNullException.ThrowIfNull(argument);
        ArgumentNullException.ThrowIfNull(caller);
        if (mode is CanisterInstallMode.Install && Wasm is not null)
        {
            return CanisterReply.Reject(RejectCode.CanisterError,
                $"Canister {Id} cannot be installed because the canister is not empty. Try installing with mode='reinstall' instead.", "IC0514");
        }

        if (mode is CanisterInstallMode.Upgrade && Wasm is null)
        {
            return EmptyReject();
        }

        if (!_engine.TryLoadModule(wasm, out CanisterModule? module, out WasmValidationError? invalid))
        {
            return CanisterReply.Reject(RejectCode.CanisterError, invalid!.RejectMessage(Id.ToString()), WasmValidationError.ErrorCode);
        }

        ExecutionResult result;
        if (mode is CanisterInstallMode.Upgrade upgrade)
        {
            bool keep = upgrade.Value?.WasmMemoryPersistence == WasmMemoryPersistence.Keep;
            WasmCanister? upgraded = Wasm!.Upgrade(module!, caller.ToArray(), timeNanos, argument, keep, out result);
            if (upgraded is null)
            {
                return result.Response ?? result.Error!.ToReply(Id.ToString());
            }

            Wasm.Dispose();
            Wasm = upgraded;
            ModuleBytes = wasm;
            return null;
        }

        WasmCanister fresh = WasmCanister.Create(_engine, module!, _environment);
        Configure(fresh, Cycles);
        fresh.Version = Version;
        result = fresh.Install(caller.ToArray(), timeNanos, argument);
        if (result.Error is not null)
        {
            fresh.Dispose();
            return result.Error.ToReply(Id.ToString());
        }

        Wasm?.Dispose();
        Wasm = fresh;
        ModuleBytes = wasm;
        return null;
    }

    /// <summary>Removes the module and all its state (<c>uninstall_code</c>); the cycles stay.</summary>
    public void Uninstall()
    {
        _cycles = Cycles;
        _version = Version + 1;
        Wasm?.Dispose();
        Wasm = null;
        ModuleBytes = null;
    }

    /// <inheritdoc/>
    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(s_magic);
            w.Write(FormatVersion);
            w.Write((byte)_status);
            UInt128 cycles = Cycles;
            w.Write((ulong)(cycles >> 64));
            w.Write((ulong)cycles);
            Settings.Write(w);
            w.Write(ModuleBytes is not null);
            if (ModuleBytes is not null)
            {
                w.Write(ModuleBytes.Length);
                w.Write(ModuleBytes);
                byte[] state = Wasm!.Snapshot();
                w.Write(state.Length);
                w.Write(state);
            }

            w.Write(Version);
        }

        return stream.ToArray();
    }

    /// <summary>Replaces the state with a snapshot's (module included); the controllers stay as they are.</summary>
    /// <exception cref="FormatException">the bytes are not a snapshot of a hosted canister.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        CanisterRunStatus status;
        UInt128 cycles;
        CanisterSettingsState settings;
        byte[]? module = null;
        byte[]? state = null;
        ulong? version;
        try
        {
            using var r = new BinaryReader(new MemoryStream(snapshot.ToArray()), Encoding.UTF8);
            bool magic = r.ReadBytes(4).AsSpan().SequenceEqual(s_magic);
            byte format = r.ReadByte();
            if (!magic || format is not (1 or FormatVersion))
            {
                throw new FormatException("not a snapshot of a hosted canister (bad magic or version)");
            }

            status = r.ReadByte() switch
            {
                (byte)CanisterRunStatus.Running => CanisterRunStatus.Running,
                (byte)CanisterRunStatus.Stopping => CanisterRunStatus.Stopping,
                (byte)CanisterRunStatus.Stopped => CanisterRunStatus.Stopped,
                byte b => throw new FormatException($"bad canister status {b}"),
            };
            ulong high = r.ReadUInt64();
            cycles = new UInt128(high, r.ReadUInt64());
            settings = CanisterSettingsState.Read(r);
            if (r.ReadBoolean())
            {
                module = ReadBlob(r);
                state = ReadBlob(r);
            }

            version = format >= 2 ? r.ReadUInt64() : null; // format 1 kept the version only inside the Wasm state
            if (r.BaseStream.Position != r.BaseStream.Length)
            {
                throw new FormatException("bytes after the end of a hosted canister snapshot");
            }
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("hosted canister snapshot truncated", e);
        }

        WasmCanister? wasm = null;
        if (module is not null)
        {
            if (!_engine.TryLoadModule(module, out CanisterModule? loaded, out WasmValidationError? invalid))
            {
                throw new FormatException("the snapshot's module is not valid: " + invalid!.Message);
            }

            wasm = WasmCanister.Create(_engine, loaded!, _environment);
            wasm.Restore(state);
        }

        Wasm?.Dispose();
        Wasm = wasm;
        ModuleBytes = module;
        Settings = settings;
        _status = status;
        _cycles = cycles;
        if (wasm is not null)
        {
            Configure(wasm, cycles);
        }

        _version = version ?? wasm?.Version ?? 0;
        wasm?.Version = _version;
    }

    /// <summary>
    /// The canister at this moment, for queries on this height (a copy of the module's state, taken again only when an
    /// execution, install or status change made the last one stale).
    /// </summary>
    public ICanister QueryView()
    {
        ulong version = Wasm?.Version ?? 0;
        if (_view is { } v && ReferenceEquals(v.Wasm, Wasm) && v.Version == version && v.Status == _status)
        {
            return v.View;
        }

        var view = new HostedCanisterView(this, _engine, _environment);
        _view = (Wasm, version, _status, view);
        return view;
    }

    /// <inheritdoc/>
    public void Dispose() => Wasm?.Dispose();

    private void Configure(WasmCanister wasm, UInt128 cycles)
    {
        wasm.Controllers = [.. _controllers.Select(c => (ReadOnlyMemory<byte>)c.ToArray())];
        wasm.Status = ToRuntime(_status);
        wasm.CyclesBalance = cycles;
    }

    private static CanisterStatus ToRuntime(CanisterRunStatus status) => status switch
    {
        CanisterRunStatus.Running => CanisterStatus.Running,
        CanisterRunStatus.Stopping => CanisterStatus.Stopping,
        _ => CanisterStatus.Stopped,
    };

    private static byte[] ReadBlob(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new FormatException($"hosted canister snapshot truncated: {n} bytes wanted");
        }

        return r.ReadBytes(n);
    }
}
