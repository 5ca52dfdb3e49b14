using System.Text;
using InternetIdentity.CanisterRuntime.SystemApi;
using InternetIdentity.CanisterRuntime.Wasm;

namespace InternetIdentity.CanisterRuntime;

/// <summary>
/// The IC's checks on a canister module's imports, exports and custom sections (interface spec "Canister module
/// format"; texts as the replica's validator gives them). Function bodies are validated by Wasmtime when compiled.
/// </summary>
public static class WasmModuleValidator
{
    /// <summary>The most <c>canister_update</c>/<c>canister_query</c>/<c>canister_composite_query</c> exports.</summary>
    public const int MaxExportedMethods = 1000;

    /// <summary>The most bytes of all exported method names together.</summary>
    public const int MaxExportedNameLengths = 20_000;

    /// <summary>The most <c>icp:</c> custom sections.</summary>
    public const int MaxIcpCustomSections = 16;

    /// <summary>The most bytes of all <c>icp:</c> custom sections together (names and contents).</summary>
    public const int MaxIcpCustomSectionsSize = 2 * 1024 * 1024;

    private static readonly string[] s_systemExports =
    [
        "canister_init", "canister_pre_upgrade", "canister_post_upgrade", "canister_inspect_message",
        "canister_heartbeat", "canister_global_timer", "canister_on_low_wasm_memory",
    ];

    private static readonly string[] s_reservedSymbols =
    [
        "canister counter_instructions", "canister_start", "canister counter_dirty_pages",
        "canister counter_accessed_pages", "stable_memory", "stable_bytemap_memory",
    ];

    /// <summary>Checks a parsed module; returns null when it is valid, else the error.</summary>
    public static WasmValidationError? Validate(WasmModuleInfo module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return ValidateImports(module) ?? ValidateExports(module) ?? ValidateMemories(module) ?? ValidateCustomSections(module);
    }

    private static WasmValidationError? ValidateImports(WasmModuleInfo module)
    {
        foreach (WasmImport import in module.Imports)
        {
            switch (import.Kind)
            {
                case WasmExternKind.Function:
                    if (!SystemApiCatalog.Functions.TryGetValue(import.Name, out SystemApiFunction? function)
                        || (function.Wasm32Only && module.IsMemory64))
                    {
                        return Import($"Module imports function '{import.Name}' from '{import.Module}' that is not exported by the runtime.");
                    }

                    if (import.Module != SystemApiCatalog.ModuleName)
                    {
                        return Import($"Module imports function \"{import.Name}\" from \"{import.Module}\", expected to be imported from one of [\"ic0\"] instead.");
                    }

                    WasmValidationError? signature = CheckSignature(function.Signature(module.IsMemory64), import.Name, import.FunctionType!);
                    if (signature is not null)
                    {
                        return signature;
                    }

                    break;
                case WasmExternKind.Table when import.Name == "table" && import.Module != "env":
                    return Import("Only tables imported from env.table are allowed.");
                case WasmExternKind.Memory when import.Name == "memory" && import.Module != "env":
                    return Import("Only memory imported from env.memory is allowed.");
                case WasmExternKind.Global:
                    return Import("Importing globals is not allowed.");
                case WasmExternKind.Tag:
                    return Import("Importing tags is not allowed.");
                default:
                    // A table or memory import cannot be satisfied by the IC; Wasmtime's instantiation reports it.
                    return Import($"Module imports {import.Kind.ToString().ToLowerInvariant()} '{import.Name}' from '{import.Module}' that is not exported by the runtime.");
            }
        }

        return null;
    }

    private static WasmValidationError? ValidateExports(WasmModuleInfo module)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int methods = 0;
        int nameLengths = 0;
        var noArguments = new WasmFunctionType([], []);
        foreach (WasmExport export in module.Exports)
        {
            if (s_reservedSymbols.Contains(export.Name))
            {
                return new WasmValidationError($"Wasm module has an invalid export section. Exporting reserved symbol {export.Name} not allowed.");
            }

            if (export.Kind != WasmExternKind.Function)
            {
                continue;
            }

            string? method = MethodName(export.Name);
            if (method is not null)
            {
                if (!seen.Add(method))
                {
                    return new WasmValidationError(
                        $"Wasm module has an invalid export section. Duplicate function '{method}' exported multiple times with different call types: update, query, or composite_query.");
                }

                methods++;
                nameLengths += Encoding.UTF8.GetByteCount(method);
            }
            else if (export.Name.StartsWith("canister_", StringComparison.Ordinal) && !s_systemExports.Contains(export.Name))
            {
                return new WasmValidationError($"Wasm module has an invalid export section. Exporting reserved function '{export.Name}' with \"canister_\" prefix");
            }

            if (method is not null || s_systemExports.Contains(export.Name))
            {
                if (export.Index >= module.FunctionTypes.Count)
                {
                    return new WasmValidationError($"Wasm module has an invalid export section. Function index {export.Index} is out of range.");
                }

                WasmValidationError? signature = CheckSignature(noArguments, export.Name, module.FunctionTypes[(int)export.Index]);
                if (signature is not null)
                {
                    return signature;
                }
            }
        }

        if (methods > MaxExportedMethods)
        {
            return new WasmValidationError(
                $"Wasm module has an invalid export section. The number of exported functions called `canister_update <name>`, `canister_query <name>`, or `canister_composite_query <name>` is {methods} which exceeds {MaxExportedMethods}.");
        }

        if (nameLengths > MaxExportedNameLengths)
        {
            return new WasmValidationError(
                $"Wasm module has an invalid export section. The sum of `<name>` lengths in exported functions called `canister_update <name>`, `canister_query <name>`, or `canister_composite_query <name>` is {nameLengths} which exceeds {MaxExportedNameLengths}.");
        }

        return null;
    }

    private static WasmValidationError? ValidateMemories(WasmModuleInfo module) =>
        module.Memories.Count > 1
            ? new WasmValidationError($"Wasmtime failed to validate wasm module: the module declares {module.Memories.Count} memories; canisters may declare at most one.")
            : null;

    private static WasmValidationError? ValidateCustomSections(WasmModuleInfo module)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        int count = 0;
        long size = 0;
        foreach (WasmCustomSection section in module.CustomSections)
        {
            if (!section.Name.StartsWith("icp:", StringComparison.Ordinal))
            {
                continue;
            }

            string? name = section.Name.StartsWith("icp:public ", StringComparison.Ordinal) ? section.Name["icp:public ".Length..]
                : section.Name.StartsWith("icp:private ", StringComparison.Ordinal) ? section.Name["icp:private ".Length..]
                : null;
            if (name is null)
            {
                return new WasmValidationError(
                    $"Wasm module has an invalid custom section. Invalid custom section: Custom section '{section.Name}' has no public/private scope defined.");
            }

            if (!names.Add(name))
            {
                return new WasmValidationError(
                    $"Wasm module has an invalid custom section. Invalid custom section: name {name} already exists");
            }

            count++;
            size += Encoding.UTF8.GetByteCount(name) + section.Content.Length;
        }

        if (count > MaxIcpCustomSections)
        {
            return new WasmValidationError($"Wasm module defined {count} custom sections which exceeds the maximum number allowed {MaxIcpCustomSections}.");
        }

        return size > MaxIcpCustomSectionsSize
            ? new WasmValidationError(
                $"Wasm module has an invalid custom section. Invalid custom sections: total size of the custom sections exceeds the maximum allowed: size {size} bytes, allowed {MaxIcpCustomSectionsSize} bytes")
            : null;
    }

    /// <summary>The method name of a <c>canister_update|query|composite_query &lt;name&gt;</c> export, or null.</summary>
    internal static string? MethodName(string export)
    {
        foreach (string prefix in (string[])["canister_update ", "canister_query ", "canister_composite_query "])
        {
            if (export.StartsWith(prefix, StringComparison.Ordinal))
            {
                return export[prefix.Length..];
            }
        }

        return null;
    }

    private static WasmValidationError? CheckSignature(WasmFunctionType expected, string name, WasmFunctionType actual)
    {
        if (!expected.Parameters.SequenceEqual(actual.Parameters))
        {
            return new WasmValidationError(
                $"Wasm module has an invalid function signature. Expected input params {WasmFunctionType.Describe(expected.Parameters)} for '{name}', got {WasmFunctionType.Describe(actual.Parameters)}.");
        }

        return expected.Results.SequenceEqual(actual.Results)
            ? null
            : new WasmValidationError(
                $"Wasm module has an invalid function signature. Expected return type {WasmFunctionType.Describe(expected.Results)} for '{name}', got {WasmFunctionType.Describe(actual.Results)}.");
    }

    private static WasmValidationError Import(string detail) => new("Wasm module has an invalid import section. " + detail);
}
