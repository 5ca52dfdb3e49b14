using System.Collections.Frozen;
using InternetIdentity.CanisterRuntime.Wasm;

namespace InternetIdentity.CanisterRuntime.SystemApi;

/// <summary>One <c>ic0</c> function: its signature for 32- or 64-bit memory and where it may be called from.</summary>
/// <param name="Name">The import name, e.g. <c>msg_reply</c>.</param>
/// <param name="Allowed">The kinds of execution that may call it.</param>
/// <param name="Wasm32Only">Only for modules with 32-bit memory (the legacy functions).</param>
public sealed record SystemApiFunction(string Name, ApiType Allowed, bool Wasm32Only)
{
    internal string ParameterSpec { get; init; } = "";

    internal string ResultSpec { get; init; } = "";

    /// <summary>The function's type for a module whose memory is 64-bit or not (pointer type I).</summary>
    public WasmFunctionType Signature(bool memory64) => new(Types(ParameterSpec, memory64), Types(ResultSpec, memory64));

    private static WasmValueType[] Types(string spec, bool memory64) =>
        [.. spec.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t switch
        {
            "I" => memory64 ? WasmValueType.I64 : WasmValueType.I32,
            "i32" => WasmValueType.I32,
            "i64" => WasmValueType.I64,
            _ => throw new InvalidOperationException("bad type " + t),
        })];
}

/// <summary>
/// The System API as the interface specification's "Overview of imports" lists it: every <c>ic0</c> function, its
/// signature (I is i32 or i64 with the module's memory) and the kinds of execution that may call it. The module
/// validator and the host's linker both read this one table.
/// </summary>
public static class SystemApiCatalog
{
    private static readonly (string Name, string Parameters, string Results, string Allowed)[] s_common =
    [
        ("msg_arg_data_size", "", "I", "I U RQ NRQ TQ CQ Ry CRy F"),
        ("msg_arg_data_copy", "I I I", "", "I U RQ NRQ TQ CQ Ry CRy F"),
        ("msg_caller_size", "", "I", "*"),
        ("msg_caller_copy", "I I I", "", "*"),
        ("msg_caller_info_data_size", "", "I", "U RQ NRQ CQ Ry Rt CRy CRt C CC F"),
        ("msg_caller_info_data_copy", "I I I", "", "U RQ NRQ CQ Ry Rt CRy CRt C CC F"),
        ("msg_caller_info_signer_size", "", "I", "U RQ NRQ CQ Ry Rt CRy CRt C CC F"),
        ("msg_caller_info_signer_copy", "I I I", "", "U RQ NRQ CQ Ry Rt CRy CRt C CC F"),
        ("msg_reject_code", "", "i32", "Ry Rt CRy CRt C"),
        ("msg_reject_msg_size", "", "I", "Rt CRt"),
        ("msg_reject_msg_copy", "I I I", "", "Rt CRt"),
        ("msg_deadline", "", "i64", "U RQ NRQ CQ Ry Rt CRy CRt"),
        ("msg_reply_data_append", "I I", "", "U RQ NRQ TQ CQ Ry Rt CRy CRt"),
        ("msg_reply", "", "", "U RQ NRQ TQ CQ Ry Rt CRy CRt"),
        ("msg_reject", "I I", "", "U RQ NRQ TQ CQ Ry Rt CRy CRt"),
        ("msg_cycles_available128", "I", "", "U RQ Rt Ry"),
        ("msg_cycles_refunded128", "I", "", "Rt Ry"),
        ("msg_cycles_accept128", "i64 i64 I", "", "U RQ Rt Ry"),
        ("cycles_burn128", "i64 i64 I", "", "I G U RQ Ry Rt C T"),
        ("canister_self_size", "", "I", "*"),
        ("canister_self_copy", "I I I", "", "*"),
        ("canister_cycle_balance128", "I", "", "*"),
        ("canister_liquid_cycle_balance128", "I", "", "*"),
        ("canister_status", "", "i32", "*"),
        ("canister_version", "", "i64", "*"),
        ("subnet_self_size", "", "I", "*"),
        ("subnet_self_copy", "I I I", "", "*"),
        ("msg_method_name_size", "", "I", "F"),
        ("msg_method_name_copy", "I I I", "", "F"),
        ("accept_message", "", "", "F"),
        ("call_new", "I I I I I I I I", "", "U CQ Ry Rt CRy CRt T"),
        ("call_on_cleanup", "I I", "", "U CQ Ry Rt CRy CRt T"),
        ("call_data_append", "I I", "", "U CQ Ry Rt CRy CRt T"),
        ("call_with_best_effort_response", "i32", "", "U CQ Ry Rt CRy CRt T"),
        ("call_cycles_add128", "i64 i64", "", "U Ry Rt T"),
        ("call_perform", "", "i32", "U CQ Ry Rt CRy CRt T"),
        ("stable64_size", "", "i64", "* s"),
        ("stable64_grow", "i64", "i64", "* s"),
        ("stable64_write", "i64 i64 i64", "", "* s"),
        ("stable64_read", "i64 i64 i64", "", "* s"),
        ("root_key_size", "", "I", "I G U RQ Ry Rt C T"),
        ("root_key_copy", "I I I", "", "I G U RQ Ry Rt C T"),
        ("certified_data_set", "I I", "", "I G U Ry Rt T"),
        ("data_certificate_present", "", "i32", "*"),
        ("data_certificate_size", "", "I", "NRQ CQ"),
        ("data_certificate_copy", "I I I", "", "NRQ CQ"),
        ("time", "", "i64", "*"),
        ("global_timer_set", "i64", "i64", "I G U Ry Rt C T"),
        ("performance_counter", "i32", "i64", "* s"),
        ("is_controller", "I I", "i32", "* s"),
        ("in_replicated_execution", "", "i32", "* s"),
        ("cost_call", "i64 i64 I", "", "* s"),
        ("cost_create_canister", "I", "", "* s"),
        ("cost_http_request", "i64 i64 I", "", "* s"),
        ("cost_sign_with_ecdsa", "I I i32 I", "i32", "* s"),
        ("cost_sign_with_schnorr", "I I i32 I", "i32", "* s"),
        ("cost_vetkd_derive_key", "I I i32 I", "i32", "* s"),
        ("env_var_count", "", "I", "*"),
        ("env_var_name_size", "I", "I", "*"),
        ("env_var_name_copy", "I I I I", "", "*"),
        ("env_var_name_exists", "I I", "i32", "*"),
        ("env_var_value_size", "I I", "I", "*"),
        ("env_var_value_copy", "I I I I I", "", "*"),
        ("debug_print", "I I", "", "* s"),
        ("trap", "I I", "", "* s"),
    ];

    // Only where I = i32 (32-bit memory or none).
    private static readonly (string Name, string Parameters, string Results, string Allowed)[] s_wasm32Only =
    [
        ("msg_cycles_available", "", "i64", "U RQ Rt Ry"),
        ("msg_cycles_refunded", "", "i64", "Rt Ry"),
        ("msg_cycles_accept", "i64", "i64", "U RQ Rt Ry"),
        ("canister_cycle_balance", "", "i64", "*"),
        ("call_cycles_add", "i64", "", "U Ry Rt T"),
        ("stable_size", "", "i32", "* s"),
        ("stable_grow", "i32", "i32", "* s"),
        ("stable_write", "i32 i32 i32", "", "* s"),
        ("stable_read", "i32 i32 i32", "", "* s"),
    ];

    /// <summary>The import module of the System API.</summary>
    public const string ModuleName = "ic0";

    /// <summary>Every function, by name.</summary>
    public static FrozenDictionary<string, SystemApiFunction> Functions { get; } =
        s_common.Select(f => Make(f, false)).Concat(s_wasm32Only.Select(f => Make(f, true)))
            .ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The functions available to a module with 64-bit memory or not.</summary>
    public static IEnumerable<SystemApiFunction> Available(bool memory64) =>
        Functions.Values.Where(f => !(memory64 && f.Wasm32Only)).OrderBy(f => f.Name, StringComparer.Ordinal);

    private static SystemApiFunction Make((string Name, string Parameters, string Results, string Allowed) f, bool wasm32Only) =>
        new(f.Name, ApiTypeNames.Parse(f.Allowed), wasm32Only) { ParameterSpec = f.Parameters, ResultSpec = f.Results };
}
