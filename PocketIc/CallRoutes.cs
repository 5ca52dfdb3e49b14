using System.Text.Json;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;
using InternetIdentity.Replica.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace InternetIdentity.PocketIc;

/// <summary>
/// PocketIC's canister routes: query, submit / await / ingress status of update calls (the sender impersonated, as
/// PocketIC does: no signature), what reads a canister's place and settings (subnet, controllers, root key), and its cycle
/// balance (read, and topped up through the management canister), and wasm canisters' stable memory (read from the newest
/// certified state; set from the blob store through the management canister). What is not served yet (HTTPS outcalls of
/// user canisters) answers PocketIC's error shape with the reason.
/// </summary>
public static class CallRoutes
{
    /// <summary>Maps the routes onto <paramref name="app"/>.</summary>
    public static void Map(IEndpointRouteBuilder app, InstanceRegistry instances, BlobStore blobs)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(blobs);
        app.MapPost("/instances/{id}/read/query", (HttpContext c, string id) => Run(c, instances, id, async (instance, body) =>
        {
            CanisterCall call = CanisterCall.Read(body);
            CanisterReply reply = await instance.QueryAsync(call.Sender, call.CanisterId, call.Method, call.Payload, c.RequestAborted).ConfigureAwait(false);
            return CanisterResult.From(reply);
        })).WithSummary("a query as any sender (RawCanisterCall) -> {Ok}|{Err}");
        app.MapPost("/instances/{id}/update/submit_ingress_message", (HttpContext c, string id) => Run(c, instances, id, async (instance, body) =>
        {
            CanisterCall call = CanisterCall.Read(body);
            (RequestId? message, CanisterReply? reject) = await instance.SubmitAsync(call.Sender, call.CanisterId, call.Method, call.Payload, c.RequestAborted)
                .ConfigureAwait(false);
            return reject is not null
                ? CanisterResult.From(reject)
                : new JsonObject
                {
                    ["Ok"] = new JsonObject
                    {
                        ["effective_principal"] = call.EffectivePrincipal.DeepClone(),
                        ["message_id"] = PocketIcJson.Base64(message!.Value.Bytes),
                    },
                };
        })).WithSummary("submits an update call as any sender -> {Ok: {effective_principal, message_id}}|{Err}");
        app.MapPost("/instances/{id}/update/await_ingress_message", (HttpContext c, string id) => Run(c, instances, id, async (instance, body) =>
        {
            RequestId message = MessageId(body);
            RequestStatus status = await instance.AwaitAsync(message, c.RequestAborted).ConfigureAwait(false);
            return CanisterResult.From(status);
        })).WithSummary("runs rounds until a submitted call is done -> {Ok}|{Err}");
        app.MapPost("/instances/{id}/read/ingress_status", (HttpContext c, string id) => Run(c, instances, id, async (instance, body) =>
        {
            RequestId message = MessageId(PocketIcJson.Field(body, "raw_message_id"));
            RequestStatus? status = await instance.StatusAsync(message, c.RequestAborted).ConfigureAwait(false);
            if (status is not null && PocketIcJson.OptionalField(body, "raw_caller") is not null && PocketIcJson.Principal(body, "raw_caller") != status.Sender)
            {
                throw new PocketIcException(403, "Forbidden(\"The user tries to access Request ID not signed by the caller.\")");
            }

            return status is null ? null : CanisterResult.From(status);
        })).WithSummary("a call's outcome once done, else null; 403 for another caller");
        app.MapPost("/instances/{id}/read/get_subnet", (HttpContext c, string id) => Run(c, instances, id, (instance, body) =>
        {
            Principal canister = PocketIcJson.Principal(body, "canister_id");
            bool routed = instance.CanisterRanges.Any(r => r.Low.CompareTo(canister) <= 0 && canister.CompareTo(r.High) <= 0);
            return Task.FromResult<JsonNode?>(routed ? new JsonObject { ["subnet_id"] = PocketIcJson.Base64(instance.SubnetId.Bytes) } : null);
        })).WithSummary("the subnet whose canister ranges hold a canister id, or null");
        app.MapPost("/instances/{id}/read/get_controllers", (HttpContext c, string id) => Run(c, instances, id, (instance, body) =>
        {
            InstalledCanister installed = instance.Canister(PocketIcJson.Principal(body, "canister_id"));
            return Task.FromResult<JsonNode?>(new JsonArray([.. installed.Controllers.Select(p => (JsonNode)new JsonObject { ["principal_id"] = PocketIcJson.Base64(p.Bytes) })]));
        })).WithSummary("a canister's controllers");
        app.MapPost("/instances/{id}/read/pub_key", (HttpContext c, string id) => Run(c, instances, id, (instance, body) =>
        {
            Principal subnet = PocketIcJson.Principal(body, "subnet_id");
            if (subnet != instance.SubnetId)
            {
                throw PocketIcException.BadRequest($"SubnetNotFound({subnet})");
            }

            // Vec<u8> without base64: a JSON array of numbers, as the real server writes it.
            return Task.FromResult<JsonNode?>(new JsonArray([.. instance.Subnet.Config.RootKeyDer.Select(b => (JsonNode)JsonValue.Create(b))]));
        })).WithSummary("a subnet's public key (DER), as an array of numbers; the root key of the instance's one subnet");
        app.MapPost("/instances/{id}/read/get_cycles", (HttpContext c, string id) => Run(c, instances, id, (instance, body) =>
        {
            UInt128 cycles = instance.CyclesBalance(PocketIcJson.Principal(body, "canister_id"));
            return Task.FromResult<JsonNode?>(new JsonObject { ["cycles"] = PocketIcJson.Number(cycles) });
        })).WithSummary("a canister's cycle balance ({canister_id}) -> {cycles}; 0 for the built-in canisters");
        app.MapPost("/instances/{id}/update/add_cycles", (HttpContext c, string id) => Run(c, instances, id, async (instance, body) =>
        {
            Principal canister = PocketIcJson.Principal(body, "canister_id");
            UInt128 amount = PocketIcJson.UInt128(body, "amount");
            UInt128 cycles = await instance.AddCyclesAsync(canister, amount, c.RequestAborted).ConfigureAwait(false);
            return new JsonObject { ["cycles"] = PocketIcJson.Number(cycles) };
        })).WithSummary("adds cycles to a canister ({canister_id, amount}), executed by every replica -> {cycles} (the new balance)");
        app.MapPost("/instances/{id}/read/get_stable_memory", (HttpContext c, string id) => Run(c, instances, id, (instance, body) =>
        {
            byte[] memory = instance.GetStableMemory(PocketIcJson.Principal(body, "canister_id"));
            return Task.FromResult<JsonNode?>(new JsonObject { ["blob"] = PocketIcJson.Base64(memory) });
        })).WithSummary("a wasm canister's stable memory on the newest certified state ({canister_id}) -> {blob}");
        app.MapPost("/instances/{id}/update/set_stable_memory", (HttpContext c, string id) => Run(c, instances, id, async (instance, body) =>
        {
            Principal canister = PocketIcJson.Principal(body, "canister_id");
            string blobId = Convert.ToHexStringLower(PocketIcJson.Bytes(body, "blob_id"));
            if (!blobs.TryGet(blobId, out byte[] data, out bool gzip))
            {
                throw PocketIcException.BadRequest($"blob not found: {blobId} (POST the bytes to /blobstore first)");
            }

            await instance.SetStableMemoryAsync(canister, gzip ? BlobStore.Gunzip(data) : data, c.RequestAborted).ConfigureAwait(false);
            return null;
        })).WithSummary("replaces a wasm canister's stable memory with a blob of the blob store ({canister_id, blob_id}), executed by every replica");
        app.MapGet("/instances/{id}/read/get_canister_http", (string id) =>
        {
            instances.Get(id);
            return PocketIcJson.Result(new JsonArray()); // the built-in canisters make no HTTPS outcalls
        }).WithSummary("pending HTTPS outcalls: none (the built-in canisters make none)");
        app.MapPost("/instances/{id}/update/mock_canister_http", (HttpContext c, string id) => Run(c, instances, id, (instance, body) =>
        {
            ulong request = PocketIcJson.UInt64(body, "request_id");
            throw PocketIcException.BadRequest($"InvalidCanisterHttpRequestId(({instance.SubnetId}, CanisterHttpRequestId({request})))");
        })).WithSummary("mocks a pending HTTPS outcall (there are none)");
    }

    // Finds the instance, reads the JSON body, runs the operation and writes its JSON (null: JSON null).
    private static async Task<IResult> Run(HttpContext context, InstanceRegistry instances, string id, Func<PocketIcInstance, JsonElement, Task<JsonNode?>> operation)
    {
        PocketIcInstance instance = instances.Get(id);
        JsonElement body = await PocketIcJson.ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        PocketIcJson.Object(body, "the request");
        return PocketIcJson.Result(await operation(instance, body).ConfigureAwait(false));
    }

    private static RequestId MessageId(JsonElement body)
    {
        PocketIcJson.Object(body, "RawMessageId");
        PocketIcJson.Field(body, "effective_principal");
        byte[] id = PocketIcJson.Bytes(body, "message_id");
        return id.Length == 32 ? new RequestId(id) : throw PocketIcException.WrongShape($"message_id: a message id has 32 bytes, not {id.Length}");
    }
}
