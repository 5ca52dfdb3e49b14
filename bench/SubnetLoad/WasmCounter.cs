using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.SubnetLoad;

/// <summary>
/// A wasm counter canister under load (<c>--wasm-counter FILE</c>, e.g. bench/subnet/counter.mo compiled by npm motoko):
/// created and installed through the management canister by one load client (its controller), then every client calls
/// the update <c>inc : () -&gt; (nat)</c> and the query <c>get : () -&gt; (nat) query</c>.
/// </summary>
internal sealed class WasmCounter(Principal canisterId)
{
    public Principal CanisterId { get; } = canisterId;

    /// <summary>Creates a canister (<c>provisional_create_canister_with_cycles</c>) and installs <paramref name="wasm"/> in it as <paramref name="controller"/>.</summary>
    public static async Task<WasmCounter> DeployAsync(IcHttpClient ic, Ed25519Sender controller, byte[] wasm, CancellationToken ct)
    {
        UpdateOutcome created = await ic.CallAsync(controller, Principal.ManagementCanister, "provisional_create_canister_with_cycles",
            CandidArgs.Encode(new ProvisionalCreateCanisterArgs()), ct).ConfigureAwait(false);
        CanisterIdRecord id = CandidArgs.Decode<CanisterIdRecord>(created.Reply ?? throw new LoadException("provisional_create_canister_with_cycles was rejected: " + created.Reject));
        UpdateOutcome installed = await ic.CallAsync(controller, Principal.ManagementCanister, "install_code",
            CandidArgs.Encode(new InstallCodeArgs(new CanisterInstallMode.Install(), id.CanisterId, wasm, CandidArgs.Encode())), ct, id.CanisterId.ToPrincipal())
            .ConfigureAwait(false);
        if (installed.Reply is null)
        {
            throw new LoadException("install_code of the wasm counter was rejected: " + installed.Reject);
        }

        return new WasmCounter(id.CanisterId.ToPrincipal());
    }

    /// <summary>One certified <c>inc</c>; checks the reply is a nat.</summary>
    public async Task IncAsync(IcHttpClient ic, LoadClient client, CancellationToken ct)
    {
        UpdateOutcome outcome = await ic.CallAsync(client.Device, CanisterId, "inc", CandidArgs.Encode(), ct).ConfigureAwait(false);
        _ = Nat(outcome.Reply ?? throw new LoadException($"inc on {CanisterId} was rejected: {outcome.Reject}"), "inc");
    }

    /// <summary>One signed <c>get</c> query; checks the reply is a nat.</summary>
    public async Task GetAsync(IcHttpClient ic, LoadClient client, CancellationToken ct) =>
        _ = Nat(await ic.QueryAsync(client.Device, CanisterId, "get", CandidArgs.Encode(), ct).ConfigureAwait(false), "get");

    private static System.Numerics.BigInteger Nat(byte[] reply, string method) =>
        CandidDecoder.DecodeUntyped(reply).Values is [CandidNat n] ? n.Value : throw new LoadException($"{method} did not answer a nat");
}
