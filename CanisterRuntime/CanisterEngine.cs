using System.IO.Compression;
using System.Security.Cryptography;
using InternetIdentity.CanisterRuntime.Execution;
using InternetIdentity.CanisterRuntime.Wasm;

namespace InternetIdentity.CanisterRuntime;

/// <summary>
/// The Wasmtime engine configured for deterministic execution as the IC configures it (fuel for instruction
/// counting, NaN canonicalisation, no relaxed SIMD, no threads, memory64 on), and a bounded cache of compiled modules
/// keyed by module hash. One engine serves many canisters; it is safe to share between threads.
/// </summary>
public sealed class CanisterEngine : IDisposable
{
    /// <summary>The largest module the IC accepts, compressed or not (100 MiB).</summary>
    public const int MaxModuleBytes = 100 * 1024 * 1024;

    /// <summary>How many compiled modules the cache keeps by default.</summary>
    public const int DefaultModuleCacheCapacity = 64;

    // Each entry remembers when it was last loaded, so that a full cache drops the module loaded longest ago. A network
    // that runs for days while a developer redeploys would otherwise keep every build's compiled code.
    private readonly Dictionary<string, (CanisterModule Module, long LastLoaded)> _modules = new(StringComparer.Ordinal);
    private readonly int _moduleCacheCapacity;
    private long _loads;
    private readonly Lock _lock = new();
    private readonly Wasmtime.Linker _linker32;
    private readonly Wasmtime.Linker _linker64;

    /// <summary>Creates an engine with the given limits (IC defaults when null) and module cache capacity.</summary>
    public CanisterEngine(CanisterLimits? limits = null, int moduleCacheCapacity = DefaultModuleCacheCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(moduleCacheCapacity, 1);
        _moduleCacheCapacity = moduleCacheCapacity;
        Limits = limits ?? CanisterLimits.Default;
        using var config = new Wasmtime.Config()
            .WithFuelConsumption(true)
            .WithCraneliftNaNCanonicalization(true)
            .WithRelaxedSIMD(false, true)
            .WithWasmThreads(false)
            .WithMemory64(true)
            .WithMultiMemory(false)
            .WithReferenceTypes(true)
            .WithBulkMemory(true)
            .WithGc(false)
            .WithFunctionReferences(false)
            .WithMaximumStackSize(Limits.WasmStackBytes);
        Engine = new Wasmtime.Engine(config);
        _linker32 = SystemApiHost.CreateLinker(Engine, memory64: false);
        _linker64 = SystemApiHost.CreateLinker(Engine, memory64: true);
    }

    /// <summary>
    /// The process-wide engine with the IC's default limits. The replicas of a local subnet share it, so a module
    /// installed on every replica is validated and compiled once per process, not once per replica; never disposed.
    /// </summary>
    public static CanisterEngine Shared => SharedEngine.Value;

    private static readonly Lazy<CanisterEngine> SharedEngine = new(() => new CanisterEngine(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The limits every canister of this engine runs under.</summary>
    public CanisterLimits Limits { get; }

    internal Wasmtime.Engine Engine { get; }

    internal Wasmtime.Linker Linker(bool memory64) => memory64 ? _linker64 : _linker32;

    /// <summary>
    /// Validates and compiles a module as <c>install_code</c> receives it (raw or gzip-compressed). Returns false with
    /// the IC's error text when the IC would refuse it. A module already compiled (same hash) is not compiled again.
    /// </summary>
    public bool TryLoadModule(ReadOnlySpan<byte> wasm, out CanisterModule? module, out WasmValidationError? error)
    {
        module = null;
        error = null;
        if (wasm.Length > MaxModuleBytes)
        {
            error = new WasmValidationError($"Wasm module size of {wasm.Length} exceeds the maximum allowed size of {MaxModuleBytes}.");
            return false;
        }

        byte[] hash = SHA256.HashData(wasm);
        string key = Convert.ToHexStringLower(hash);
        lock (_lock)
        {
            if (_modules.TryGetValue(key, out var cached))
            {
                _modules[key] = (cached.Module, ++_loads);
                module = cached.Module;
                return true;
            }
        }

        byte[]? raw = Decompress(wasm, out error);
        if (raw is null)
        {
            return false;
        }

        WasmModuleInfo info;
        try
        {
            info = WasmModuleInfo.Parse(raw);
        }
        catch (WasmFormatException e)
        {
            error = new WasmValidationError("Failed to decode wasm module: " + e.Message);
            return false;
        }

        error = WasmModuleValidator.Validate(info);
        if (error is not null)
        {
            return false;
        }

        Wasmtime.Module compiled;
        try
        {
            compiled = Wasmtime.Module.FromBytes(Engine, key, WasmInstrumentation.Instrument(raw, info));
        }
        catch (Wasmtime.WasmtimeException e)
        {
            error = new WasmValidationError("Wasmtime failed to validate wasm module " + e.Message.Trim());
            return false;
        }

        module = new CanisterModule(hash, info, compiled);
        lock (_lock)
        {
            if (_modules.TryGetValue(key, out var raced))
            {
                compiled.Dispose(); // another thread compiled the same module first
                module = raced.Module;
                _modules[key] = (module, ++_loads);
                return true;
            }

            if (_modules.Count >= _moduleCacheCapacity)
            {
                EvictLeastRecentlyLoaded();
            }

            _modules.Add(key, (module, ++_loads));
        }

        return true;
    }

    // Drops the entry loaded longest ago. Its compiled code is not disposed here: canisters installed with it still run
    // it, and Wasmtime's handle frees the code once the last of them is gone.
    private void EvictLeastRecentlyLoaded()
    {
        string? oldest = null;
        long oldestLoad = long.MaxValue;
        foreach (var (key, entry) in _modules)
        {
            if (entry.LastLoaded < oldestLoad)
            {
                oldest = key;
                oldestLoad = entry.LastLoaded;
            }
        }

        _modules.Remove(oldest!);
    }

    /// <summary>The compiled modules held in the cache.</summary>
    public int CachedModuleCount
    {
        get
        {
            lock (_lock)
            {
                return _modules.Count;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (module, _) in _modules.Values)
            {
                module.Compiled.Dispose();
            }

            _modules.Clear();
        }

        _linker32.Dispose();
        _linker64.Dispose();
        Engine.Dispose();
    }

    private static byte[]? Decompress(ReadOnlySpan<byte> wasm, out WasmValidationError? error)
    {
        error = null;
        if (wasm.Length < 3 || wasm[0] != 0x1F || wasm[1] != 0x8B || wasm[2] != 0x08)
        {
            return wasm.ToArray();
        }

        try
        {
            using var input = new MemoryStream(wasm.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            byte[] buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > MaxModuleBytes)
                {
                    error = new WasmValidationError($"Wasm module size of {output.Length + read} exceeds the maximum allowed size of {MaxModuleBytes}.");
                    return null;
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            error = new WasmValidationError("Failed to decode wasm module: " + e.Message);
            return null;
        }
    }
}
