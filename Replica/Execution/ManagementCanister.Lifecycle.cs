using System.Numerics;
using InternetIdentity.CanisterRuntime;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Execution;

// Canister life cycle: create, install, settings, status, start/stop, delete, logs, randomness.
public sealed partial class ManagementCanister
{
    /// <summary>The cycles a canister gets from <c>provisional_create_canister_with_cycles</c> without an amount (the IC's default).</summary>
    public static readonly UInt128 DefaultProvisionalCycles = 100_000_000_000_000;

    /// <summary>The most controllers a canister may have.</summary>
    public const int MaxControllers = 10;

    private CanisterReply Create(ChangeMaker change, ProvisionalCreateCanisterArgs args)
    {
        Principal caller = change.Caller;
        UInt128 cycles = DefaultProvisionalCycles;
        if (args.Amount is { } amount && !TryCycles(amount, out cycles))
        {
            return InvalidPayload($"amount {amount} is not a cycle count");
        }

        IReadOnlyList<Principal> controllers = args.Settings?.Controllers is { } given ? [.. given.Select(p => p.ToPrincipal())] : [caller];
        if (controllers.Count > MaxControllers)
        {
            return InvalidPayload($"Invalid settings: at most {MaxControllers} controllers are allowed, {controllers.Count} given.");
        }

        CanisterSettingsState? settings = CanisterSettingsState.Default.With(args.Settings ?? new CanisterSettings(), out string? invalid);
        if (settings is null)
        {
            return InvalidPayload(invalid!);
        }

        Principal id;
        if (args.SpecifiedId is { } specified)
        {
            id = specified.ToPrincipal();
            if (!_table.Subnet.Ranges.Contains(id))
            {
                return CanisterReply.Reject(RejectCode.CanisterReject, $"Specified CanisterId {id} is not hosted by subnet {_table.Subnet.SubnetId}.", "IC0405");
            }

            if (_table.Find(id) is not null)
            {
                return CanisterReply.Reject(RejectCode.CanisterError, $"Canister {id} is already installed.", "IC0538");
            }
        }
        else if (_table.Allocate() is { } next)
        {
            id = next;
        }
        else
        {
            return CanisterReply.Reject(RejectCode.SysFatal, $"Subnet {_table.Subnet.SubnetId} has no canister ids left.", "IC0102");
        }

        HostedCanister created = _table.Create(id, controllers, cycles);
        created.Settings = settings;
        History.Record(id, change.Made(0, args.SenderCanisterVersion,
            new ChangeDetails.Creation([.. controllers.Select(CandidPrincipal.FromPrincipal)])));
        return CanisterReply.Reply(CandidArgs.Encode(new CanisterIdRecord(CandidPrincipal.FromPrincipal(id))));
    }

    // create_canister from a canister: the caller controls the new canister unless the settings say otherwise. Cycles
    // attached to the call are refunded (nothing is charged here), so the canister gets the provisional default.
    private static ProvisionalCreateCanisterArgs ToProvisional(CreateCanisterArgs args) =>
        new(Settings: args.Settings, SenderCanisterVersion: args.SenderCanisterVersion);

    private CanisterReply TopUp(TopUpArgs args)
    {
        Principal id = args.CanisterId.ToPrincipal();
        if (_table.Find(id)?.Canister is not HostedCanister hosted)
        {
            return NotFound(id);
        }

        if (!TryCycles(args.Amount, out UInt128 amount))
        {
            return InvalidPayload($"amount {args.Amount} is not a cycle count");
        }

        hosted.Cycles = UInt128.MaxValue - hosted.Cycles < amount ? UInt128.MaxValue : hosted.Cycles + amount;
        return CanisterReply.Reply(CandidArgs.Encode());
    }

    // PocketIC's set_stable_memory, in chunks that fit an ingress message: the first (offset 0) clears stable memory and
    // sets its size, each writes its bytes. One more change to the canister's version, so queries see it (their views are
    // taken again).
    private CanisterReply ReplaceStableMemory(SetStableMemoryArgs args)
    {
        Principal id = args.CanisterId.ToPrincipal();
        if (_table.Find(id)?.Canister is not HostedCanister hosted)
        {
            return NotFound(id);
        }

        if (hosted.Wasm is not { } wasm)
        {
            return CanisterReply.Reject(RejectCode.CanisterError, $"Canister {id} is empty: it has no module, hence no stable memory", "IC0537");
        }

        try
        {
            if (args.Offset == 0)
            {
                wasm.ClearStableMemory(args.Size);
            }

            wasm.WriteStableMemory(args.Offset, args.Data);
        }
        catch (ArgumentException e)
        {
            return InvalidPayload(e.Message);
        }

        hosted.Version++;
        return CanisterReply.Reply(CandidArgs.Encode());
    }

    private CanisterReply InstallCode(ChangeMaker change, InstallCodeArgs args)
    {
        if (ControlledHosted(change.Caller, args.CanisterId, out HostedCanister? hosted) is { } refused)
        {
            return refused;
        }

        if (hosted!.InstallCode(args.Mode, args.WasmModule, args.Arg, change.Caller, change.TimeNanos) is { } failed)
        {
            return failed;
        }

        CodeDeploymentMode mode = args.Mode switch
        {
            CanisterInstallMode.Install => CodeDeploymentMode.Install,
            CanisterInstallMode.Reinstall => CodeDeploymentMode.Reinstall,
            _ => CodeDeploymentMode.Upgrade,
        };
        History.Record(hosted.Id, change.Made(hosted.Version, args.SenderCanisterVersion,
            new ChangeDetails.CodeDeployment(mode, hosted.ModuleHash.ToArray())));
        return CanisterReply.Reply(CandidArgs.Encode());
    }

    private CanisterReply UninstallCode(ChangeMaker change, UninstallCodeArgs args)
    {
        if (ControlledHosted(change.Caller, args.CanisterId, out HostedCanister? hosted) is { } refused)
        {
            return refused;
        }

        hosted!.Uninstall();
        History.Record(hosted.Id, change.Made(hosted.Version, args.SenderCanisterVersion, new ChangeDetails.CodeUninstall()));
        return CanisterReply.Reply(CandidArgs.Encode());
    }

    private CanisterReply UpdateSettings(ChangeMaker change, UpdateSettingsArgs args)
    {
        if (Controlled(change.Caller, args.CanisterId, out InstalledCanister? target) is { } refused)
        {
            return refused;
        }

        CanisterSettings settingsChange = args.Settings;
        if (settingsChange.Controllers is { Length: > MaxControllers } many)
        {
            return InvalidPayload($"Invalid settings: at most {MaxControllers} controllers are allowed, {many.Length} given.");
        }

        CanisterSettingsState? settings = null;
        if (target!.Canister is HostedCanister hosted)
        {
            settings = hosted.Settings.With(settingsChange, out string? invalid);
            if (settings is null)
            {
                return InvalidPayload(invalid!);
            }

            hosted.Settings = settings;
            if (hosted.Wasm is { } wasm)
            {
                wasm.EnvironmentVariables = settings.EnvironmentVariables;
            }
        }

        // A built-in canister keeps only its controllers: its other settings are fixed by this network.
        if (settingsChange.Controllers is { } controllers)
        {
            _table.SetControllers(target.Id, [.. controllers.Select(p => p.ToPrincipal())]);
            ulong version = 0;
            if (target.Canister is HostedCanister changed)
            {
                version = ++changed.Version;
            }

            History.Record(target.Id, change.Made(version, args.SenderCanisterVersion, new ChangeDetails.ControllersChange(controllers)));
        }

        return CanisterReply.Reply(CandidArgs.Encode());
    }

    private CanisterReply Status(Principal caller, CanisterIdRecord args)
    {
        if (Controlled(caller, args.CanisterId, out InstalledCanister? target) is { } refused)
        {
            return refused;
        }

        var hosted = target!.Canister as HostedCanister;
        WasmCanister? wasm = hosted?.Wasm;
        BigInteger heap = wasm?.WasmMemoryBytes ?? 0;
        BigInteger stable = wasm?.StableMemoryBytes ?? 0;
        BigInteger binary = hosted?.ModuleBytes?.Length ?? 0;
        BigInteger custom = target.Canister.Metadata.Values.Sum(m => (long)m.Content.Length);
        BigInteger snapshots = Snapshots.Of(target.Id).Sum(s => (long)s.State.Length);
        var memory = new MemoryMetrics(heap, stable, 0, binary, custom, 0, 0, snapshots);
        CanisterSettingsState settings = hosted?.Settings ?? CanisterSettingsState.Default;
        var status = new CanisterStatusResult(
            hosted?.Status ?? CanisterRunStatus.Running,
            false,
            hosted?.Version ?? 0,
            settings.ToCandid(target.Controllers),
            target.Canister.ModuleHash.IsEmpty ? null : target.Canister.ModuleHash.ToArray(),
            heap + stable + binary + custom + snapshots,
            memory,
            (BigInteger)(hosted?.Cycles ?? UInt128.Zero),
            0,
            0,
            new QueryStats(0, 0, 0, 0));
        return CanisterReply.Reply(CandidArgs.Encode(status));
    }

    private CanisterReply SetRunning(Principal caller, CanisterIdRecord args, CanisterRunStatus status)
    {
        if (ControlledHosted(caller, args.CanisterId, out HostedCanister? hosted) is { } refused)
        {
            return refused;
        }

        // Calls run to completion within their batch, so a stopping canister has nothing left to wait for.
        hosted!.Status = status;
        return CanisterReply.Reply(CandidArgs.Encode());
    }

    private CanisterReply DeleteCanister(Principal caller, CanisterIdRecord args)
    {
        if (ControlledHosted(caller, args.CanisterId, out HostedCanister? hosted) is { } refused)
        {
            return refused;
        }

        if (hosted!.Status != CanisterRunStatus.Stopped)
        {
            return CanisterReply.Reject(RejectCode.CanisterError, $"Canister {hosted.Id} must be stopped before it is deleted.", "IC0510");
        }

        foreach (CanisterSnapshot s in Snapshots.Of(hosted.Id).ToList())
        {
            Snapshots.Remove(hosted.Id, s.Id);
        }

        _table.Remove(hosted.Id);
        History.Remove(hosted.Id);
        return CanisterReply.Reply(CandidArgs.Encode());
    }

    // canister_info: anyone may ask (canisters only), no controller check, as on the IC.
    private CanisterReply Info(CanisterInfoArgs args)
    {
        Principal id = args.CanisterId.ToPrincipal();
        InstalledCanister? target = _table.Find(id);
        if (target is null)
        {
            return NotFound(id);
        }

        IReadOnlyList<CanisterChange> kept = History.Changes(id);
        int wanted = (int)Math.Min(args.NumRequestedChanges ?? 0, (ulong)kept.Count);
        return CanisterReply.Reply(CandidArgs.Encode(new CanisterInfoResult(
            History.TotalChanges(id),
            [.. kept.Skip(kept.Count - wanted)],
            target.Canister.ModuleHash.IsEmpty ? null : target.Canister.ModuleHash.ToArray(),
            [.. target.Controllers.Select(CandidPrincipal.FromPrincipal)])));
    }

    private CanisterReply FetchLogs(Principal caller, CanisterIdRecord args)
    {
        Principal id = args.CanisterId.ToPrincipal();
        InstalledCanister? target = _table.Find(id);
        if (target is null)
        {
            return NotFound(id);
        }

        var hosted = target.Canister as HostedCanister;
        if (!(hosted?.Settings ?? CanisterSettingsState.Default).MayReadLogs(caller, target.Controllers))
        {
            return CanisterReply.Reject(RejectCode.CanisterReject, $"Caller {caller} is not allowed to query ic00 method fetch_canister_logs", "IC0406");
        }

        IReadOnlyList<CanisterLogRecord> logs = hosted?.Wasm?.Logs ?? [];
        return CanisterReply.Reply(CandidArgs.Encode(new FetchCanisterLogsResult(
            [.. logs.Select(l => new CanisterLogEntry(l.Index, l.TimestampNanos, l.Content.ToArray()))])));
    }

    private static CanisterReply RawRand(ReadOnlySpan<byte> argument, ReadOnlySpan<byte> randomness)
    {
        CandidArgs.Decode(argument);
        if (randomness.Length != 32)
        {
            throw new ArgumentException("raw_rand needs the message's 32 bytes of randomness", nameof(randomness));
        }

        return CanisterReply.Reply(CandidArgs.Encode(randomness.ToArray()));
    }

    // The canister exists and the caller is one of its controllers (the IC's IC0301 and IC0512 otherwise).
    private CanisterReply? Controlled(Principal caller, CandidPrincipal canisterId, out InstalledCanister? target)
    {
        Principal id = canisterId.ToPrincipal();
        target = _table.Find(id);
        if (target is null)
        {
            return NotFound(id);
        }

        return target.Controllers.Contains(caller)
            ? null
            : CanisterReply.Reject(RejectCode.CanisterError,
                $"Only the controllers of the canister {id} can control it.\nCanister's controllers: {string.Join(" ", target.Controllers)}\nSender's ID: {caller}",
                "IC0512");
    }

    // As Controlled, and the canister was created through the management canister (a built-in one's code is fixed).
    private CanisterReply? ControlledHosted(Principal caller, CandidPrincipal canisterId, out HostedCanister? hosted)
    {
        hosted = null;
        if (Controlled(caller, canisterId, out InstalledCanister? target) is { } refused)
        {
            return refused;
        }

        hosted = target!.Canister as HostedCanister;
        return hosted is null
            ? CanisterReply.Reject(RejectCode.CanisterReject, $"Canister {target.Id} is built into this network: its code and run status cannot be changed.", "IC0408")
            : null;
    }

    private static CanisterReply NotFound(Principal id) => CanisterReply.Reject(RejectCode.DestinationInvalid, $"Canister {id} not found.", "IC0301");

    private static CanisterReply InvalidPayload(string message) => CanisterReply.Reject(RejectCode.CanisterReject, message, "IC0408");

    private static bool TryCycles(BigInteger amount, out UInt128 cycles)
    {
        bool fits = amount >= 0 && amount <= (BigInteger)UInt128.MaxValue;
        cycles = fits ? (UInt128)amount : default;
        return fits;
    }
}

/// <summary>Who makes a change to a canister and when, for its history.</summary>
/// <param name="Caller">The caller of the management canister.</param>
/// <param name="TimeNanos">The block time.</param>
/// <param name="FromCanister">Whether the caller is a canister (an inter-canister call) rather than a user.</param>
internal readonly record struct ChangeMaker(Principal Caller, ulong TimeNanos, bool FromCanister)
{
    /// <summary>The history record of a change leaving the canister at <paramref name="version"/>.</summary>
    public CanisterChange Made(ulong version, ulong? senderCanisterVersion, ChangeDetails details) => new(
        TimeNanos,
        version,
        FromCanister
            ? new ChangeOrigin.FromCanister(CandidPrincipal.FromPrincipal(Caller), senderCanisterVersion)
            : new ChangeOrigin.FromUser(CandidPrincipal.FromPrincipal(Caller)),
        details);
}

/// <summary>
/// The argument of the test-only <see cref="ManagementCanister.SetStableMemory"/>: the canister, where this chunk goes, its
/// bytes, and the stable memory's new size in bytes (acted on with the first chunk, at offset 0, which clears the memory).
/// </summary>
public sealed record SetStableMemoryArgs(CandidPrincipal CanisterId, ulong Offset, byte[] Data, ulong Size);

/// <summary>The argument of <c>provisional_top_up_canister</c>.</summary>
/// <param name="CanisterId">The canister.</param>
/// <param name="Amount">The cycles to add.</param>
public sealed record TopUpArgs(CandidPrincipal CanisterId, [property: CandidNat] BigInteger Amount);
