using System.Net;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Certificates;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Management;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Replica.Execution;

namespace InternetIdentity.Replica.Tests.Gateway;

/// <summary>
/// The management canister over HTTP: provisional_create routed by any id of the subnet, install_code, queries to
/// canister_status, and canister_inspect_message run before a call enters the pool.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ManagementGatewayTests
{
    // Accepts only messages to the method named "ok" (by the name's length); both methods reply with nothing.
    private const string InspectingCanister = """
        (module
          (import "ic0" "msg_reply" (func $reply))
          (import "ic0" "accept_message" (func $accept))
          (import "ic0" "msg_method_name_size" (func $size (result i32)))
          (func (export "canister_inspect_message")
            (if (i32.eq (call $size) (i32.const 2)) (then (call $accept))))
          (func (export "canister_update ok") (call $reply))
          (func (export "canister_update nope") (call $reply))
          (memory 1))
        """;

    private readonly TestIdentity _developer = new(31);
    private readonly TestIdentity _stranger = new(32);
    private GatewayFixture _f = null!;
    private int _nonce;

    [OneTimeSetUp]
    public async Task SetUp() => _f = await GatewayFixture.StartAsync();

    [OneTimeTearDown]
    public async Task TearDown() => await _f.DisposeAsync();

    private RequestContent Content(TestIdentity sender, Principal canister, string method, byte[] arg, RequestType type = RequestType.Call) =>
        RequestContent.Call(type, sender.Principal, canister, method, arg, _f.Expiry(), BitConverter.GetBytes(Interlocked.Increment(ref _nonce)));

    private async Task<byte[]> Replied(TestIdentity sender, Principal effective, Principal canister, string method, byte[] arg)
    {
        RequestContent content = Content(sender, canister, method, arg);
        Certificate certificate = await _f.SyncCall(sender.Envelope(content), effective);
        RequestId id = content.ComputeRequestId();
        Assert.That(GatewayFixture.Status(certificate, id, "status").Value.ToArray(), Is.EqualTo("replied"u8.ToArray()),
            System.Text.Encoding.UTF8.GetString(GatewayFixture.Status(certificate, id, "reject_message").Value.Span));
        return GatewayFixture.Status(certificate, id, "reply").Value.ToArray();
    }

    private async Task<Principal> CreateAsync(Principal effective) =>
        CandidArgs.Decode<CanisterIdRecord>(await Replied(_developer, effective, Principal.ManagementCanister, ManagementCanister.ProvisionalCreate,
            CandidArgs.Encode(new ProvisionalCreateCanisterArgs()))).CanisterId.ToPrincipal();

    [Test]
    public async Task ProvisionalCreate_ByAaaaaAaOrAnyIdOfTheSubnet_CreatesACanister()
    {
        Principal first = await CreateAsync(Principal.ManagementCanister);
        Principal second = await CreateAsync(Principal.CanisterId(900));
        Assert.That(second, Is.Not.EqualTo(first));
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await _f.Subnet.WaitUntilAllCaughtUpAsync(cts.Token);
        }

        Assert.That(_f.Subnet.Replicas.Select(r => r.HasCanister(second)), Is.All.True);

        HttpResponseMessage outside = await _f.Post($"/api/v3/canister/{Principal.CanisterId(0x200000)}/call",
            _developer.Envelope(Content(_developer, Principal.ManagementCanister, ManagementCanister.ProvisionalCreate, CandidArgs.Encode(new ProvisionalCreateCanisterArgs()))));
        Assert.That(outside.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await GatewayFixture.Text(outside), Does.Contain("does not belong to subnet"));
    }

    [Test]
    public async Task CanisterStatus_AsAQuery_AnswersControllersAndRefusesOthers()
    {
        Principal id = await CreateAsync(Principal.ManagementCanister);
        byte[] arg = CandidArgs.Encode(new CanisterIdRecord(CandidPrincipal.FromPrincipal(id)));
        HttpResponseMessage r = await _f.Post($"/api/v3/canister/{id}/query",
            _developer.Envelope(Content(_developer, Principal.ManagementCanister, "canister_status", arg, RequestType.Query)));
        QueryResponse q = QueryResponse.Decode(await r.Content.ReadAsByteArrayAsync());
        Assert.That(q.Replied, Is.True, q.RejectMessage);
        CanisterStatusResult status = CandidArgs.Decode<CanisterStatusResult>(q.Arg!);
        Assert.That(status.Settings.Controllers.Select(c => c.ToPrincipal()), Is.EqualTo(new[] { _developer.Principal }));
        Assert.That(status.Status, Is.EqualTo(CanisterRunStatus.Running));

        r = await _f.Post($"/api/v3/canister/{id}/query",
            _stranger.Envelope(Content(_stranger, Principal.ManagementCanister, "canister_status", arg, RequestType.Query)));
        q = QueryResponse.Decode(await r.Content.ReadAsByteArrayAsync());
        Assert.That((q.Replied, q.ErrorCode), Is.EqualTo((false, "IC0512")));

        r = await _f.Post($"/api/v3/canister/{id}/query",
            _developer.Envelope(Content(_developer, Principal.ManagementCanister, "install_code", arg, RequestType.Query)));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await GatewayFixture.Text(r)).Trim(), Is.EqualTo("Management canister has no method 'install_code' callable by ingress queries"));
    }

    [Test]
    public async Task InspectMessage_NotAccepted_IsRejectedBeforeThePool()
    {
        Principal id = await CreateAsync(Principal.ManagementCanister);
        await Replied(_developer, id, Principal.ManagementCanister, "install_code", CandidArgs.Encode(new InstallCodeArgs(
            new CanisterInstallMode.Install(), CandidPrincipal.FromPrincipal(id), Wasmtime.Module.ConvertText(InspectingCanister).ToArray(), [])));

        Assert.That(await Replied(_stranger, id, id, "ok", []), Is.Empty);
        RequestContent refused = Content(_stranger, id, "nope", []);
        HttpResponseMessage r = await _f.Post($"/api/v3/canister/{id}/call", _stranger.Envelope(refused));
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        CallResponse body = CallResponse.Decode(await r.Content.ReadAsByteArrayAsync());
        Assert.That(body.IsCertified, Is.False);
        Assert.That((body.RejectCode, body.ErrorCode), Is.EqualTo((Protocol.Canister.RejectCode.CanisterReject, "IC0406")));
        Assert.That(await _f.Subnet.Replicas[0].StatusAsync(refused.ComputeRequestId(), CancellationToken.None), Is.Null, "never entered the pool");
    }
}
