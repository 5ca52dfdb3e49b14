using System.Collections.Frozen;
using InternetIdentity.CanisterRuntime.Wasm;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.CanisterRuntime;

/// <summary>
/// A validated, compiled canister module: its hash, exported methods, metadata sections and the instrumented module
/// Wasmtime runs. Immutable; one instance serves every canister that runs the same module.
/// </summary>
public sealed class CanisterModule
{
    /// <summary>The custom section that marks a Motoko module built for enhanced orthogonal persistence.</summary>
    public const string EnhancedOrthogonalPersistenceSection = "enhanced-orthogonal-persistence";

    internal CanisterModule(ReadOnlyMemory<byte> moduleHash, WasmModuleInfo info, Wasmtime.Module compiled)
    {
        ModuleHash = moduleHash;
        Info = info;
        Compiled = compiled;
        var updates = new List<string>();
        var queries = new List<string>();
        var composite = new List<string>();
        foreach (WasmExport export in info.Exports.Where(e => e.Kind == WasmExternKind.Function))
        {
            if (export.Name.StartsWith("canister_update ", StringComparison.Ordinal))
            {
                updates.Add(export.Name["canister_update ".Length..]);
            }
            else if (export.Name.StartsWith("canister_query ", StringComparison.Ordinal))
            {
                queries.Add(export.Name["canister_query ".Length..]);
            }
            else if (export.Name.StartsWith("canister_composite_query ", StringComparison.Ordinal))
            {
                composite.Add(export.Name["canister_composite_query ".Length..]);
            }
        }

        Exports = new ExportedMethods(updates, queries.Concat(composite));
        CompositeQueries = composite.ToFrozenSet(StringComparer.Ordinal);
        SystemMethods = info.Exports.Where(e => e.Kind == WasmExternKind.Function && e.Name.StartsWith("canister_", StringComparison.Ordinal)
                && WasmModuleValidator.MethodName(e.Name) is null)
            .Select(e => e.Name).ToFrozenSet(StringComparer.Ordinal);
        var metadata = new Dictionary<string, CanisterMetadata>(StringComparer.Ordinal);
        foreach (WasmCustomSection section in info.CustomSections)
        {
            if (section.Name.StartsWith("icp:public ", StringComparison.Ordinal))
            {
                metadata[section.Name["icp:public ".Length..]] = new CanisterMetadata(section.Content, true);
            }
            else if (section.Name.StartsWith("icp:private ", StringComparison.Ordinal))
            {
                metadata[section.Name["icp:private ".Length..]] = new CanisterMetadata(section.Content, false);
            }
        }

        Metadata = metadata.ToFrozenDictionary(StringComparer.Ordinal);
        UsesEnhancedOrthogonalPersistence = info.CustomSections.Any(s =>
            s.Name == EnhancedOrthogonalPersistenceSection || s.Name == "icp:private " + EnhancedOrthogonalPersistenceSection
            || s.Name == "icp:public " + EnhancedOrthogonalPersistenceSection);
    }

    /// <summary>SHA-256 of the module bytes as installed (compressed, if they were given gzip-compressed).</summary>
    public ReadOnlyMemory<byte> ModuleHash { get; }

    /// <summary>The parsed (uncompressed, not instrumented) module.</summary>
    public WasmModuleInfo Info { get; }

    /// <summary>The update and query methods (composite queries are among the queries).</summary>
    public ExportedMethods Exports { get; }

    /// <summary>The composite query methods.</summary>
    public IReadOnlySet<string> CompositeQueries { get; }

    /// <summary>The system entry points exported: <c>canister_init</c>, <c>canister_heartbeat</c>, ...</summary>
    public IReadOnlySet<string> SystemMethods { get; }

    /// <summary>The <c>icp:public</c> / <c>icp:private</c> metadata sections, by name.</summary>
    public IReadOnlyDictionary<string, CanisterMetadata> Metadata { get; }

    /// <summary>
    /// True for a Motoko module with enhanced orthogonal persistence: an upgrade must keep the main memory
    /// (<c>wasm_memory_persistence = opt variant { keep }</c>).
    /// </summary>
    public bool UsesEnhancedOrthogonalPersistence { get; }

    internal Wasmtime.Module Compiled { get; }
}
