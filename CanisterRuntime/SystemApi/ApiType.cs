namespace InternetIdentity.CanisterRuntime.SystemApi;

/// <summary>
/// The kind of execution a System API call happens in (the interface spec's letters: I, G, U, RQ, NRQ, CQ, Ry, Rt,
/// CRy, CRt, C, CC, F, T, s). A call from a kind its function does not list traps.
/// </summary>
[Flags]
public enum ApiType
{
    /// <summary>No kind.</summary>
    None = 0,

    /// <summary>s: the module's start function.</summary>
    Start = 1 << 0,

    /// <summary>I: <c>canister_init</c> or <c>canister_post_upgrade</c>.</summary>
    Init = 1 << 1,

    /// <summary>G: <c>canister_pre_upgrade</c>.</summary>
    PreUpgrade = 1 << 2,

    /// <summary>U: <c>canister_update</c>.</summary>
    Update = 1 << 3,

    /// <summary>RQ: <c>canister_query</c> in replicated mode.</summary>
    ReplicatedQuery = 1 << 4,

    /// <summary>NRQ: <c>canister_query</c> in non-replicated mode.</summary>
    NonReplicatedQuery = 1 << 5,

    /// <summary>CQ: <c>canister_composite_query</c>.</summary>
    CompositeQuery = 1 << 6,

    /// <summary>Ry: a reply callback.</summary>
    ReplyCallback = 1 << 7,

    /// <summary>Rt: a reject callback.</summary>
    RejectCallback = 1 << 8,

    /// <summary>CRy: a reply callback in a composite query.</summary>
    CompositeReplyCallback = 1 << 9,

    /// <summary>CRt: a reject callback in a composite query.</summary>
    CompositeRejectCallback = 1 << 10,

    /// <summary>C: a cleanup callback.</summary>
    Cleanup = 1 << 11,

    /// <summary>CC: a cleanup callback in a composite query.</summary>
    CompositeCleanup = 1 << 12,

    /// <summary>F: <c>canister_inspect_message</c>.</summary>
    InspectMessage = 1 << 13,

    /// <summary>T: a system task (<c>canister_heartbeat</c>, <c>canister_global_timer</c>).</summary>
    SystemTask = 1 << 14,

    /// <summary>TQ: a query run as an HTTP outcall transform.</summary>
    TransformQuery = 1 << 15,

    /// <summary>*: every kind but the start function.</summary>
    Any = Init | PreUpgrade | Update | ReplicatedQuery | NonReplicatedQuery | TransformQuery | CompositeQuery | ReplyCallback
        | RejectCallback | CompositeReplyCallback | CompositeRejectCallback | Cleanup | CompositeCleanup | InspectMessage | SystemTask,
}

/// <summary>Names of the API kinds as the IC prints them in contract-violation messages.</summary>
public static class ApiTypeNames
{
    /// <summary>The IC's name of a single kind, e.g. "non replicated query" (as in <c>"ic0_x" cannot be executed in ... mode</c>).</summary>
    public static string Name(ApiType type) => type switch
    {
        ApiType.Start => "start",
        ApiType.Init => "init",
        ApiType.PreUpgrade => "pre upgrade",
        ApiType.Update => "update",
        ApiType.ReplicatedQuery => "replicated query",
        ApiType.NonReplicatedQuery => "non replicated query",
        ApiType.TransformQuery => "non replicated query",
        ApiType.CompositeQuery => "composite query",
        ApiType.ReplyCallback => "reply callback",
        ApiType.RejectCallback => "reject callback",
        ApiType.CompositeReplyCallback => "composite reply callback",
        ApiType.CompositeRejectCallback => "composite reject callback",
        ApiType.Cleanup => "cleanup",
        ApiType.CompositeCleanup => "composite cleanup",
        ApiType.InspectMessage => "inspect message",
        ApiType.SystemTask => "system task",
        _ => throw new ArgumentException($"{type} is not a single API kind", nameof(type)),
    };

    /// <summary>Parses the spec's letters (e.g. "U RQ Ry"; "*" is every kind but start).</summary>
    internal static ApiType Parse(string letters)
    {
        ApiType result = ApiType.None;
        foreach (string letter in letters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            result |= letter switch
            {
                "*" => ApiType.Any,
                "s" => ApiType.Start,
                "I" => ApiType.Init,
                "G" => ApiType.PreUpgrade,
                "U" => ApiType.Update,
                "RQ" => ApiType.ReplicatedQuery,
                "NRQ" => ApiType.NonReplicatedQuery,
                "TQ" => ApiType.TransformQuery,
                "CQ" => ApiType.CompositeQuery,
                "Ry" => ApiType.ReplyCallback,
                "Rt" => ApiType.RejectCallback,
                "CRy" => ApiType.CompositeReplyCallback,
                "CRt" => ApiType.CompositeRejectCallback,
                "C" => ApiType.Cleanup,
                "CC" => ApiType.CompositeCleanup,
                "F" => ApiType.InspectMessage,
                "T" => ApiType.SystemTask,
                _ => throw new ArgumentException($"unknown API kind letter '{letter}'", nameof(letters)),
            };
        }

        return result;
    }
}
