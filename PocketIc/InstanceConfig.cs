using System.Text.Json;

namespace InternetIdentity.PocketIc;

/// <summary>
/// What an instance creation body (PocketIC's <c>InstanceConfig</c>) asks of us: one subnet of <see cref="Replicas"/>
/// replicas of ours, its kind, and the initial time. Unknown fields are ignored (clients of newer servers send more);
/// what we cannot honour (several subnets, a subnet's state from a path, ICP features other than II) is refused with a message.
/// </summary>
/// <param name="Replicas">How many replicas the subnet runs (our extension <c>iinet_replicas</c>; default 4).</param>
/// <param name="SubnetKind">The kind the topology reports for the subnet (PocketIC's names: Application, II, ...).</param>
/// <param name="InitialTimeNanos">The time to start at (<c>initial_time.Timestamp</c>), or null for the current time.</param>
/// <param name="AutoProgress">Whether the instance starts in auto progress (<c>initial_time.AutoProgress</c>).</param>
/// <param name="ArtificialDelayMs">Auto progress's delay between rounds beyond the minimum.</param>
/// <param name="ChargeCycles">Whether hosted canisters pay the IC's fees (our extension <c>iinet_charge_cycles</c>; default off).</param>
/// <param name="StateDir">Where the replicas keep their state (<c>state_dir</c>; see <see cref="InstanceStateDir"/>), or null for memory only.</param>
public sealed record InstanceConfig(int Replicas, string SubnetKind, ulong? InitialTimeNanos, bool AutoProgress, ulong ArtificialDelayMs, bool ChargeCycles = false,
    string? StateDir = null)
{
    /// <summary>The replica count when the body names none.</summary>
    public const int DefaultReplicas = 4;

    /// <summary>The most replicas one instance may run.</summary>
    public const int MaxReplicas = 13;

    // PocketIC's single subnets and their topology kinds; the lists hold any number of subnets.
    private static readonly (string Field, string Kind)[] s_singleSubnets =
        [("nns", "NNS"), ("sns", "SNS"), ("ii", "II"), ("fiduciary", "Fiduciary"), ("bitcoin", "Bitcoin")];

    private static readonly (string Field, string Kind)[] s_subnetLists =
        [("system", "System"), ("application", "Application"), ("verified_application", "VerifiedApplication"), ("cloud_engine", "CloudEngine")];

    /// <summary>Reads a creation body; throws <see cref="PocketIcException"/> (400, PocketIC's <c>{"message"}</c> or 422).</summary>
    public static InstanceConfig Parse(JsonElement body)
    {
        PocketIcJson.Object(body, "InstanceConfig");
        int replicas = DefaultReplicas;
        if (PocketIcJson.OptionalField(body, "iinet_replicas") is { } n)
        {
            if (n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out replicas) || replicas < 1 || replicas > MaxReplicas)
            {
                throw PocketIcException.BadRequest($"iinet_replicas must be a number of replicas from 1 to {MaxReplicas}, not {n.GetRawText()}");
            }
        }

        string kind = SubnetKindOf(PocketIcJson.Field(body, "subnet_config_set"));
        string? stateDir = null;
        if (PocketIcJson.OptionalField(body, "state_dir") is { ValueKind: not JsonValueKind.Null } dir)
        {
            stateDir = dir.ValueKind == JsonValueKind.String ? dir.GetString() : throw PocketIcException.WrongShape($"state_dir: invalid type: {dir.ValueKind}, expected a path string");
            if (string.IsNullOrWhiteSpace(stateDir))
            {
                throw PocketIcException.BadRequest("state_dir is empty: name a directory");
            }
        }

        if (PocketIcJson.OptionalField(body, "disable_ingress_validation") is { ValueKind: JsonValueKind.True })
        {
            throw PocketIcException.BadRequest("disable_ingress_validation is not supported: /api/v2|v3|v4 always check signatures; the JSON API impersonates any sender");
        }

        bool charge = false;
        if (PocketIcJson.OptionalField(body, "iinet_charge_cycles") is { } c)
        {
            charge = c.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw PocketIcException.BadRequest($"iinet_charge_cycles must be true or false, not {c.GetRawText()}"),
            };
        }

        CheckIcpFeatures(body);
        (ulong? initial, bool auto, ulong delay) = InitialTime(body);
        return new InstanceConfig(replicas, kind, initial, auto, delay, charge, stateDir);
    }

    private static string SubnetKindOf(JsonElement set)
    {
        PocketIcJson.Object(set, "ExtendedSubnetConfigSet");
        var kinds = new List<string>();
        foreach ((string field, string kind) in s_singleSubnets)
        {
            if (PocketIcJson.OptionalField(set, field) is { } subnet)
            {
                CheckSubnet(subnet, field);
                kinds.Add(kind);
            }
        }

        foreach ((string field, string kind) in s_subnetLists)
        {
            if (PocketIcJson.OptionalField(set, field) is not { } list)
            {
                continue;
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw PocketIcException.WrongShape($"{field}: invalid type, expected a sequence of subnet configs");
            }

            foreach (JsonElement subnet in list.EnumerateArray())
            {
                CheckSubnet(subnet, field);
                kinds.Add(kind);
            }
        }

        return kinds.Count switch
        {
            0 => throw PocketIcException.BadRequest("At least one subnet must be configured."),
            1 => kinds[0],
            _ => throw PocketIcException.BadRequest(
                $"this server runs one subnet per instance (a subnet of our replicas); the config asks for {kinds.Count}: {string.Join(", ", kinds)}"),
        };
    }

    private static void CheckSubnet(JsonElement subnet, string field)
    {
        if (subnet.ValueKind != JsonValueKind.Object)
        {
            throw PocketIcException.WrongShape($"{field}: invalid type, expected a subnet config (a map)");
        }

        if (PocketIcJson.OptionalField(subnet, "state_config") is { } state && !(state.ValueKind == JsonValueKind.String && state.GetString() == "New"))
        {
            throw PocketIcException.BadRequest($"{field}: state_config {state.GetRawText()} is not supported by this server yet; only \"New\"");
        }
    }

    private static void CheckIcpFeatures(JsonElement body)
    {
        if (PocketIcJson.OptionalField(body, "icp_features") is not { } features)
        {
            return;
        }

        PocketIcJson.Object(features, "IcpFeatures");
        foreach (JsonProperty feature in features.EnumerateObject())
        {
            // II is built in at its mainnet id on every instance; the others are wasm canisters we do not ship.
            if (feature.Value.ValueKind != JsonValueKind.Null && feature.Name != "ii")
            {
                throw PocketIcException.BadRequest($"the ICP feature {feature.Name} is not supported by this server; only ii (built in at rdmx6-jaaaa-aaaaa-aaadq-cai)");
            }
        }
    }

    private static (ulong? Initial, bool Auto, ulong Delay) InitialTime(JsonElement body)
    {
        if (PocketIcJson.OptionalField(body, "initial_time") is not { } time)
        {
            return (null, false, 0);
        }

        if (PocketIcJson.OptionalField(time, "Timestamp") is { } timestamp)
        {
            return (PocketIcJson.UInt64(timestamp, "nanos_since_epoch"), false, 0);
        }

        if (PocketIcJson.OptionalField(time, "AutoProgress") is { } auto)
        {
            ulong delay = PocketIcJson.OptionalField(auto, "artificial_delay_ms") is not null ? PocketIcJson.UInt64(auto, "artificial_delay_ms") : 0;
            return (null, true, delay);
        }

        throw PocketIcException.WrongShape("initial_time: expected {\"Timestamp\": ...} or {\"AutoProgress\": ...}");
    }
}
