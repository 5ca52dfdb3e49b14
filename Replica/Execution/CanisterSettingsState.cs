using System.Numerics;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Execution;

/// <summary>
/// A canister's settings other than its controllers, as <c>canister_status</c> reports them. They are accepted and kept;
/// nothing is charged or throttled on this network, and only the log visibility is enforced.
/// </summary>
/// <param name="ComputeAllocation">Compute allocation in percent (0..100).</param>
/// <param name="MemoryAllocation">Memory allocation in bytes.</param>
/// <param name="FreezingThreshold">Freezing threshold in seconds.</param>
/// <param name="ReservedCyclesLimit">Reserved cycles limit.</param>
/// <param name="LogVisibility">Who may fetch the logs.</param>
/// <param name="WasmMemoryLimit">Wasm heap limit in bytes.</param>
/// <param name="WasmMemoryThreshold">Wasm heap threshold in bytes.</param>
/// <param name="EnvironmentVariables">The environment variables, by name.</param>
public sealed record CanisterSettingsState(
    ulong ComputeAllocation,
    ulong MemoryAllocation,
    ulong FreezingThreshold,
    ulong ReservedCyclesLimit,
    LogVisibility LogVisibility,
    ulong WasmMemoryLimit,
    ulong WasmMemoryThreshold,
    IReadOnlyDictionary<string, string> EnvironmentVariables)
{
    /// <summary>The IC's defaults: 30 days' freezing threshold, 5T reserved cycles limit, 3 GiB Wasm memory limit.</summary>
    public static CanisterSettingsState Default { get; } = new(0, 0, 2_592_000, 5_000_000_000_000, new LogVisibility.Controllers(), 3UL << 30, 0,
        new SortedDictionary<string, string>(StringComparer.Ordinal));

    /// <summary>These settings with the fields <paramref name="change"/> sets; null with the reason when a value is out of range.</summary>
    public CanisterSettingsState? With(CanisterSettings change, out string? error)
    {
        ArgumentNullException.ThrowIfNull(change);
        error = null;
        if (change.ComputeAllocation > 100)
        {
            error = $"Invalid compute allocation: {change.ComputeAllocation}. Valid compute allocation should be between 0 and 100.";
            return null;
        }

        foreach ((string name, BigInteger? value) in new[]
        {
            ("memory_allocation", change.MemoryAllocation), ("freezing_threshold", change.FreezingThreshold),
            ("reserved_cycles_limit", change.ReservedCyclesLimit), ("wasm_memory_limit", change.WasmMemoryLimit),
            ("wasm_memory_threshold", change.WasmMemoryThreshold),
        })
        {
            if (value is { } v && (v < 0 || v > ulong.MaxValue))
            {
                error = $"Invalid settings: {name} {v} does not fit in 64 bits.";
                return null;
            }
        }

        return new CanisterSettingsState(
            (ulong?)change.ComputeAllocation ?? ComputeAllocation,
            (ulong?)change.MemoryAllocation ?? MemoryAllocation,
            (ulong?)change.FreezingThreshold ?? FreezingThreshold,
            (ulong?)change.ReservedCyclesLimit ?? ReservedCyclesLimit,
            change.LogVisibility ?? LogVisibility,
            (ulong?)change.WasmMemoryLimit ?? WasmMemoryLimit,
            (ulong?)change.WasmMemoryThreshold ?? WasmMemoryThreshold,
            change.EnvironmentVariables is { } vars
                ? new SortedDictionary<string, string>(vars.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal), StringComparer.Ordinal)
                : EnvironmentVariables);
    }

    /// <summary>The <c>definite_canister_settings</c> record with these settings and the controllers.</summary>
    public DefiniteCanisterSettings ToCandid(IEnumerable<Principal> controllers) => new(
        [.. controllers.Select(CandidPrincipal.FromPrincipal)], ComputeAllocation, MemoryAllocation, FreezingThreshold, ReservedCyclesLimit,
        LogVisibility, WasmMemoryLimit, WasmMemoryThreshold, [.. EnvironmentVariables.Select(v => new EnvironmentVariable(v.Key, v.Value))]);

    /// <summary>Whether <paramref name="caller"/> may fetch the logs of a canister with these settings.</summary>
    public bool MayReadLogs(Principal caller, IReadOnlyList<Principal> controllers) => LogVisibility switch
    {
        LogVisibility.Public => true,
        LogVisibility.AllowedViewers a => controllers.Contains(caller) || a.Value.Any(p => p.ToPrincipal() == caller),
        _ => controllers.Contains(caller),
    };

    internal void Write(BinaryWriter w)
    {
        w.Write(ComputeAllocation);
        w.Write(MemoryAllocation);
        w.Write(FreezingThreshold);
        w.Write(ReservedCyclesLimit);
        switch (LogVisibility)
        {
            case LogVisibility.Public:
                w.Write((byte)1);
                break;
            case LogVisibility.AllowedViewers a:
                w.Write((byte)2);
                w.Write(a.Value.Length);
                foreach (CandidPrincipal p in a.Value)
                {
                    byte[] bytes = p.ToPrincipal().ToArray();
                    w.Write((byte)bytes.Length);
                    w.Write(bytes);
                }

                break;
            default:
                w.Write((byte)0);
                break;
        }

        w.Write(WasmMemoryLimit);
        w.Write(WasmMemoryThreshold);
        w.Write(EnvironmentVariables.Count);
        foreach ((string name, string value) in EnvironmentVariables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            w.Write(name);
            w.Write(value);
        }
    }

    internal static CanisterSettingsState Read(BinaryReader r)
    {
        ulong compute = r.ReadUInt64(), memory = r.ReadUInt64(), freezing = r.ReadUInt64(), reserved = r.ReadUInt64();
        LogVisibility visibility = r.ReadByte() switch
        {
            0 => new LogVisibility.Controllers(),
            1 => new LogVisibility.Public(),
            2 => new LogVisibility.AllowedViewers(ReadPrincipals(r)),
            byte b => throw new FormatException($"bad log visibility {b}"),
        };
        ulong limit = r.ReadUInt64(), threshold = r.ReadUInt64();
        int count = r.ReadInt32();
        if (count < 0 || count > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new FormatException($"bad environment variable count {count}");
        }

        var vars = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            vars[r.ReadString()] = r.ReadString();
        }

        return new CanisterSettingsState(compute, memory, freezing, reserved, visibility, limit, threshold, vars);
    }

    private static CandidPrincipal[] ReadPrincipals(BinaryReader r)
    {
        int n = r.ReadInt32();
        if (n < 0 || n > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new FormatException($"bad principal count {n}");
        }

        var result = new CandidPrincipal[n];
        for (int i = 0; i < n; i++)
        {
            int length = r.ReadByte();
            result[i] = Principal.TryFromBytes(r.ReadBytes(length), out Principal p)
                ? CandidPrincipal.FromPrincipal(p)
                : throw new FormatException("bad principal in the log visibility");
        }

        return result;
    }
}
