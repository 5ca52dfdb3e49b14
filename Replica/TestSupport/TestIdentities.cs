using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Envelopes;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using InternetIdentity.Protocol.Signatures;
using InternetIdentity.Replica.Hosting;
using InternetIdentity.Replica.Node;
using InternetIdentity.Replica.State;
using T = InternetIdentity.Protocol.Candid.CandidType;
using V = InternetIdentity.Protocol.Candid.CandidValue;

namespace InternetIdentity.Replica.TestSupport;

/// <summary>A test anchor: its number and its device, an Ed25519 key made for it (no WebAuthn).</summary>
/// <param name="Number">The anchor (identity) number.</param>
/// <param name="DeviceSeed">The device's 32-byte Ed25519 secret seed.</param>
/// <param name="DevicePublicKeyDer">The device's DER public key, as II stores it.</param>
public sealed record TestAnchor(ulong Number, byte[] DeviceSeed, byte[] DevicePublicKeyDer)
{
    /// <summary>The device's principal (what II sees as the caller when the device signs).</summary>
    public Principal DevicePrincipal => Principal.SelfAuthenticating(DevicePublicKeyDer);
}

/// <summary>The result of a test sign-in: II's delegation to the session key, as a dapp receives it.</summary>
/// <param name="Principal">The dapp-specific principal (II's pseudonym for the anchor at the origin).</param>
/// <param name="UserPublicKeyDer">II's canister-signature public key of the pseudonym.</param>
/// <param name="Delegation">The delegation to the session key, signed by II's canister signature.</param>
public sealed record TestSignIn(Principal Principal, byte[] UserPublicKeyDer, SignedDelegation Delegation)
{
    /// <summary>The chain as <c>DelegationChain.toJSON()</c> of <c>@dfinity/identity</c> writes it (what auth-client stores).</summary>
    public string ChainJson()
    {
        var delegation = new JsonObject
        {
            ["expiration"] = Delegation.Delegation.Expiration.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
            ["pubkey"] = Convert.ToHexStringLower(Delegation.Delegation.PublicKey),
        };
        if (Delegation.Delegation.Targets is { } targets)
        {
            delegation["targets"] = new JsonArray([.. targets.Select(t => (JsonNode)Convert.ToHexStringLower(t.Bytes))]);
        }

        return new JsonObject
        {
            ["delegations"] = new JsonArray(new JsonObject { ["delegation"] = delegation, ["signature"] = Convert.ToHexStringLower(Delegation.Signature) }),
            ["publicKey"] = Convert.ToHexStringLower(UserPublicKeyDer),
        }.ToJsonString();
    }
}

/// <summary>
/// Test identities without WebAuthn, through II's real Candid interface on a running replica: anchors registered with
/// an Ed25519 device key by <c>identity_registration_start</c> / <c>identity_registration_finish</c> (calls go through
/// consensus like any agent's), and sign-ins by <c>prepare_delegation</c> / <c>get_delegation</c>, whose canister
/// signature the subnet's threshold key certifies. Nothing bypasses II; the only help is that the device key is
/// software. The anchors made here are remembered (in memory) so a later sign-in, through any replica of the subnet, can
/// sign as their device.
/// </summary>
public sealed class TestIdentities(TimeSpan callTimeout)
{
    private static readonly T s_nextStep = T.Variant(("CheckCaptcha", T.Record(("captcha_png_base64", T.Text))), ("Finish", T.Null));
    private static readonly T s_startResult = T.Variant(("Ok", T.Record(("next_step", s_nextStep))),
        ("Err", T.Variant(("InvalidCaller", T.Null), ("RateLimitExceeded", T.Null), ("AlreadyInProgress", T.Null))));
    private static readonly T s_checkCaptchaResult = T.Variant(("Ok", T.Record(("next_step", s_nextStep))),
        ("Err", T.Variant(("WrongSolution", T.Record(("new_captcha_png_base64", T.Text))), ("UnexpectedCall", T.Record(("next_step", s_nextStep))),
            ("NoRegistrationFlow", T.Null))));

    // The subset of AuthnMethodData a software key needs (a subtype of II's type: fewer variant cases).
    private static readonly T s_finishArg = T.Record(
        ("authn_method", T.Record(
            ("authn_method", T.Variant(("PubKey", T.Record(("pubkey", T.Blob))))),
            ("metadata", T.Vec(T.Tuple(T.Text, T.Variant(("String", T.Text))))),
            ("security_settings", T.Record(("protection", T.Variant(("Unprotected", T.Null))), ("purpose", T.Variant(("Authentication", T.Null))))),
            ("last_authentication", T.Opt(T.Nat64)))),
        ("name", T.Opt(T.Text)));

    private static readonly T s_finishResult = T.Variant(("Ok", T.Record(("identity_number", T.Nat64))),
        ("Err", T.Variant(("UnexpectedCall", T.Record(("next_step", s_nextStep))), ("NoRegistrationFlow", T.Null), ("InvalidAuthnMethod", T.Text),
            ("StorageError", T.Text))));

    private static readonly T s_getDelegationResult = T.Variant(
        ("signed_delegation", T.Record(("delegation", T.Record(("pubkey", T.Blob), ("expiration", T.Nat64), ("targets", T.Opt(T.Vec(T.Principal))))),
            ("signature", T.Blob))),
        ("no_such_delegation", T.Null));

    /// <summary>The solution of II's dummy captcha (II's development builds, <c>iinet up --ii-dummy-auth</c>).</summary>
    public const string DummyCaptchaSolution = "a";

    private readonly ConcurrentDictionary<ulong, TestAnchor> _anchors = new();

    /// <summary>An anchor made here, or null.</summary>
    public TestAnchor? Find(ulong anchor) => _anchors.GetValueOrDefault(anchor);

    /// <summary>Registers a new anchor with a fresh Ed25519 device key.</summary>
    /// <exception cref="TestIdentityException">II refused (rate limit, a captcha that is not II's dummy captcha, ...).</exception>
    public async Task<TestAnchor> CreateAnchorAsync(ReplicaNode node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        byte[] der = DerPublicKey.EncodeEd25519(Ed25519Signatures.PublicKeyFromSeed(seed));
        CandidVariant started = Variant(await UpdateAsync(node, seed, der, "identity_registration_start", CandidEncoder.Encode([], []), cancellationToken).ConfigureAwait(false),
            s_startResult, "identity_registration_start");
        CandidVariant step = NextStep(started, "identity_registration_start");
        if (IsCase(step, "CheckCaptcha"))
        {
            // Test anchors answer only II's dummy captcha; a real one is for people.
            byte[] argument = CandidEncoder.Encode(T.Record(("solution", T.Text)), V.Record(("solution", V.Text(DummyCaptchaSolution))));
            CandidVariant checkedCaptcha = Variant(await UpdateAsync(node, seed, der, "check_captcha", argument, cancellationToken).ConfigureAwait(false),
                s_checkCaptchaResult, "check_captcha");
            if (!IsCase(checkedCaptcha, "Ok"))
            {
                throw new TestIdentityException(
                    "II asks for a captcha that test anchors cannot solve: start the network with --ii-dummy-auth (its captcha's answer is \"a\") or without --ii-captcha");
            }
        }

        V finishArg = V.Record(
            ("authn_method", V.Record(
                ("authn_method", V.Variant("PubKey", V.Record(("pubkey", V.Blob(der))))),
                ("metadata", V.Vec(V.Tuple(V.Text("alias"), V.Variant("String", V.Text("test device"))))),
                ("security_settings", V.Record(("protection", V.Variant("Unprotected")), ("purpose", V.Variant("Authentication")))),
                ("last_authentication", V.None))),
            ("name", V.None));
        CandidVariant finished = Variant(await UpdateAsync(node, seed, der, "identity_registration_finish", CandidEncoder.Encode(s_finishArg, finishArg),
            cancellationToken).ConfigureAwait(false), s_finishResult, "identity_registration_finish");
        if (!IsCase(finished, "Ok"))
        {
            throw new TestIdentityException($"identity_registration_finish failed: {finished.Value}");
        }

        ulong number = (ulong)((CandidFixedNat)((CandidRecord)finished.Value)["identity_number"]).Value;
        var anchor = new TestAnchor(number, seed, der);
        _anchors[number] = anchor;
        return anchor;
    }

    /// <summary>Signs in to <paramref name="origin"/> as a dapp's session key would be: prepare_delegation, get_delegation.</summary>
    /// <exception cref="ArgumentException">the anchor was not made here, or the session key or origin is empty.</exception>
    /// <exception cref="TestIdentityException">II refused.</exception>
    public async Task<TestSignIn> SignInAsync(ReplicaNode node, ulong anchorNumber, string origin, byte[] sessionPublicKeyDer, ulong? maxTimeToLiveNanos,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentNullException.ThrowIfNull(sessionPublicKeyDer);
        if (sessionPublicKeyDer.Length == 0)
        {
            throw new ArgumentException("the session public key is empty", nameof(sessionPublicKeyDer));
        }

        TestAnchor anchor = Find(anchorNumber)
            ?? throw new ArgumentException($"anchor {anchorNumber} was not created as a test anchor here, so its device key is unknown", nameof(anchorNumber));
        byte[] prepareArg = CandidEncoder.Encode([T.Nat64, T.Text, T.Blob, T.Opt(T.Nat64)],
            [V.Nat64(anchorNumber), V.Text(origin), V.Blob(sessionPublicKeyDer), maxTimeToLiveNanos is { } ttl ? V.Some(V.Nat64(ttl)) : V.None]);
        byte[] prepared = await UpdateAsync(node, anchor.DeviceSeed, anchor.DevicePublicKeyDer, "prepare_delegation", prepareArg, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<V> userKeyAndExpiration = CandidDecoder.Decode(prepared, [T.Blob, T.Nat64]);
        byte[] userKey = ((CandidBlob)userKeyAndExpiration[0]).Bytes.ToArray();
        ulong expiration = (ulong)((CandidFixedNat)userKeyAndExpiration[1]).Value;

        byte[] getArg = CandidEncoder.Encode([T.Nat64, T.Text, T.Blob, T.Nat64],
            [V.Nat64(anchorNumber), V.Text(origin), V.Blob(sessionPublicKeyDer), V.Nat64(expiration)]);
        // The signature is certified from the height after prepare_delegation: a query on that state finds it.
        CanisterReply? reply = await node.QueryAsync(anchor.DevicePrincipal, SubnetCanisters.InternetIdentityId, "get_delegation", getArg, cancellationToken)
            .ConfigureAwait(false);
        CandidVariant got = Variant(Replied(reply, "get_delegation"), s_getDelegationResult, "get_delegation");
        if (!IsCase(got, "signed_delegation"))
        {
            throw new TestIdentityException("get_delegation answered no_such_delegation right after prepare_delegation");
        }

        var signed = (CandidRecord)got.Value;
        var d = (CandidRecord)signed["delegation"];
        var delegation = new Delegation(((CandidBlob)d["pubkey"]).Bytes.ToArray(), (ulong)((CandidFixedNat)d["expiration"]).Value, null);
        return new TestSignIn(Principal.SelfAuthenticating(userKey), userKey,
            new SignedDelegation(delegation, ((CandidBlob)signed["signature"]).Bytes.ToArray()));
    }

    // An update call signed by the device, through consensus like any agent's; the certified reply or an exception.
    private async Task<byte[]> UpdateAsync(ReplicaNode node, byte[] seed, byte[] der, string method, byte[] argument, CancellationToken cancellationToken)
    {
        RequestContent content = RequestContent.Call(RequestType.Call, Principal.SelfAuthenticating(der), SubnetCanisters.InternetIdentityId, method,
            argument, node.NowNanos + (4UL * 60 * 1_000_000_000), RandomNumberGenerator.GetBytes(8));
        RequestId id = content.ComputeRequestId();
        byte[] envelope = new Envelope(content, der, Ed25519Signatures.Sign(seed, id.SignedMessage())).Encode();
        await node.SubmitAsync(id, envelope, content.IngressExpiry, cancellationToken).ConfigureAwait(false);
        if (await node.WaitForStatusAsync(id, callTimeout, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new TestIdentityException($"II's {method} was not certified within {callTimeout.TotalSeconds:0} s");
        }

        RequestStatus status = await node.StatusAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new TestIdentityException($"II's {method} has no status after its certification");
        return status.Reply ?? throw new TestIdentityException($"II rejected {method}: reject code {status.RejectCode}, {status.RejectMessage}");
    }

    private static byte[] Replied(CanisterReply? reply, string method) => reply switch
    {
        CanisterReply.Replied r => r.Candid.ToArray(),
        CanisterReply.Rejected r => throw new TestIdentityException($"II rejected {method}: reject code {(int)r.Code}, {r.Message}"),
        _ => throw new TestIdentityException("the replica has no certified state yet"),
    };

    private static CandidVariant Variant(byte[] reply, T type, string method)
    {
        try
        {
            return (CandidVariant)CandidDecoder.Decode(reply, [type])[0];
        }
        catch (CandidFormatException e)
        {
            throw new TestIdentityException($"II's reply to {method} is not what its interface says: {e.Message}");
        }
    }

    private static CandidVariant NextStep(CandidVariant result, string method) =>
        IsCase(result, "Ok")
            ? (CandidVariant)((CandidRecord)result.Value)["next_step"]
            : throw new TestIdentityException($"{method} failed: {CaseName(result)}");

    private static bool IsCase(CandidVariant v, string name) => v.Label.Id == CandidLabel.Hash(name);

    private static string CaseName(CandidVariant v) => v.Value is CandidVariant inner ? inner.Label.ToString() : v.Label.ToString();
}

/// <summary>II refused a test-identity step, or did not answer in time; the message says which and why.</summary>
public sealed class TestIdentityException(string message) : Exception(message);
