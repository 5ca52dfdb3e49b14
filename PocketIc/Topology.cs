using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.PocketIc;

/// <summary>
/// An instance's topology as PocketIC writes it: <c>{subnet_configs: {&lt;subnet id text&gt;: {subnet_kind, subnet_seed,
/// size, node_ids, canister_ranges, instruction_config}}, default_effective_canister_id}</c> (the union of the fields
/// of the servers pic-js and the Rust crate read), principals as base64 of their bytes.
/// </summary>
public static class Topology
{
    /// <summary>The topology of an instance's one subnet.</summary>
    public static JsonObject Of(PocketIcInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var config = instance.Subnet.Config;
        var subnet = new JsonObject
        {
            ["subnet_kind"] = instance.Config.SubnetKind,
            // PocketIC derives a subnet from its seed; ours has keys from genesis, so the seed is a digest of the subnet id.
            ["subnet_seed"] = new JsonArray([.. System.Security.Cryptography.SHA256.HashData(config.SubnetId.Bytes).Select(b => (JsonNode)JsonValue.Create(b))]),
            ["size"] = config.Nodes.Count,
            ["node_ids"] = new JsonArray([.. config.Nodes.Select(n => (JsonNode)new JsonObject { ["node_id"] = PocketIcJson.Base64(n.NodeId.Bytes) })]),
            ["canister_ranges"] = new JsonArray([.. instance.CanisterRanges.Select(r => (JsonNode)new JsonObject
            {
                ["start"] = CanisterId(r.Low),
                ["end"] = CanisterId(r.High),
            })]),
            ["instruction_config"] = "Production",
        };
        return new JsonObject
        {
            ["subnet_configs"] = new JsonObject { [config.SubnetId.ToString()] = subnet },
            ["default_effective_canister_id"] = CanisterId(instance.CanisterRanges[0].Low),
        };
    }

    private static JsonObject CanisterId(Principal id) => new() { ["canister_id"] = PocketIcJson.Base64(id.Bytes) };
}
