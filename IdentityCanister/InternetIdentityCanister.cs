using System.Collections.Immutable;
using InternetIdentity.IdentityCanister.Candid;
using InternetIdentity.IdentityCanister.Core;
using InternetIdentity.IdentityCanister.Frontend;
using InternetIdentity.IdentityCanister.State;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.HttpCertification;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.ThresholdSigning.Hashing;

namespace InternetIdentity.IdentityCanister;

/// <summary>
/// The Internet Identity canister: a deterministic state machine behind II's Candid interface. Calls take Candid
/// argument bytes and give Candid reply bytes or a reject; a call that traps leaves the state as it was.
/// </summary>
public sealed class InternetIdentityCanister : ICanister, ICanisterSnapshotWriter, ICanisterQueryView
{
    private InternetIdentityCanister(Principal canisterId, CanisterState state)
    {
        CanisterId = canisterId;
        State = state;
        Assets = FrontendAssets.Build(canisterId, state.Config);
        CertifiedData = Execution.CertifiedData(Assets, state);
    }

    private InternetIdentityCanister(Principal canisterId, CanisterState state, CertifiedAssets assets, byte[] certifiedData)
    {
        CanisterId = canisterId;
        State = state;
        Assets = assets;
        CertifiedData = certifiedData;
    }

    /// <summary>The canister's id (part of every pseudonym).</summary>
    public Principal CanisterId { get; }

    /// <summary>
    /// The current certified data (32 bytes): <c>fork(fork(labeled http_assets, labeled http_expr), labeled("sig",
    /// signatures root))</c>.
    /// </summary>
    public byte[] CertifiedData { get; private set; }

    /// <summary>The .did text of the service.</summary>
    public static string CandidService => CandidInterface.Text;

    internal CanisterState State { get; set; }

    /// <summary>The certified web frontend (a function of the canister id and the configuration).</summary>
    internal CertifiedAssets Assets { get; private set; }

    /// <summary>Installs the canister with a Candid-encoded <c>(opt InternetIdentityInit)</c> (empty means none).</summary>
    /// <exception cref="ArgumentException">the argument is not a valid init argument.</exception>
    public static InternetIdentityCanister Install(Principal canisterId, ReadOnlySpan<byte> initArgument)
    {
        ArgumentNullException.ThrowIfNull(canisterId);
        InitArgs args = InitArgCodec.Decode(initArgument);
        try
        {
            return new InternetIdentityCanister(canisterId, CanisterState.Initial(args.ApplyTo(CanisterConfig.Default, 0)));
        }
        catch (CanisterTrap trap)
        {
            throw new ArgumentException(trap.Message, nameof(initArgument));
        }
    }

    /// <summary>
    /// Installs the canister as II's own local builds configure it: the frontend fetches the root key from the network,
    /// the captcha is off unless asked for, and with <paramref name="dummyAuth"/> the frontend signs with a software key
    /// instead of a passkey (II's <c>dummy_auth</c>, what <c>@dfinity/internet-identity-playwright</c> expects).
    /// </summary>
    /// <exception cref="ArgumentException">more than 10 alternative origins, or one that is not an origin.</exception>
    public static InternetIdentityCanister InstallForLocalDevelopment(Principal canisterId, bool dummyAuth = false, bool captcha = false,
        IReadOnlyList<string>? alternativeOrigins = null)
    {
        ArgumentNullException.ThrowIfNull(canisterId);
        var args = new InitArgs(
            CaptchaConfig: (MaxUnsolvedCaptchas: 500, Enabled: captcha),
            FetchRootKey: true,
            DummyAuth: new Optional<DummyAuthConfig?>(dummyAuth ? new DummyAuthConfig(PromptForIndex: false) : null),
            AlternativeOrigins: alternativeOrigins is { Count: > 0 } a ? [.. a] : null);
        try
        {
            return new InternetIdentityCanister(canisterId, CanisterState.Initial(args.ApplyTo(CanisterConfig.Default, 0)));
        }
        catch (CanisterTrap trap)
        {
            throw new ArgumentException(trap.Message, nameof(alternativeOrigins));
        }
    }

    /// <summary>
    /// Upgrades in place with a Candid-encoded <c>(opt InternetIdentityInit)</c>: anchors, salt and configuration stay;
    /// what II keeps only on the heap (signatures, captchas, temp keys, flows, registration modes, rate limit) is gone.
    /// </summary>
    /// <exception cref="ArgumentException">the argument is invalid or would drop anchors (the upgrade is refused).</exception>
    public void Upgrade(ReadOnlySpan<byte> initArgument)
    {
        InitArgs args = InitArgCodec.Decode(initArgument);
        try
        {
            Commit(State.AfterUpgrade(args.ApplyTo(State.Config, State.AnchorCount)));
        }
        catch (CanisterTrap trap)
        {
            throw new ArgumentException(trap.Message, nameof(initArgument));
        }
    }

    private static readonly IReadOnlyDictionary<string, CanisterMetadata> s_metadata = new Dictionary<string, CanisterMetadata>
    {
        [CanisterContract.CandidServiceMetadata] = new(System.Text.Encoding.UTF8.GetBytes(CandidInterface.Text), IsPublic: true),
    };

    private static readonly byte[] s_moduleHash = Sha256.HashData(
        System.Text.Encoding.UTF8.GetBytes("InternetIdentity.IdentityCanister\n" + CandidInterface.Text));

    /// <summary>The public metadata sections (<c>candid:service</c>).</summary>
    public IReadOnlyDictionary<string, CanisterMetadata> Metadata => s_metadata;

    private static readonly ExportedMethods s_exports = new(
        Methods.Table.All.Where(m => !m.IsQuery).Select(m => m.Name), Methods.Table.All.Where(m => m.IsQuery).Select(m => m.Name));

    /// <summary>The methods of II's Candid service (updates and queries as the .did annotates them).</summary>
    public ExportedMethods Exports => s_exports;

    /// <summary>Stands in for the wasm module hash: SHA-256 of this implementation's name and its .did text.</summary>
    public ReadOnlyMemory<byte> ModuleHash => s_moduleHash;

    ReadOnlyMemory<byte> ICanister.CertifiedData => CertifiedData;

    /// <summary>
    /// True: an update computes the next state aside and commits it only when it replies, so a trap, a rejection or an
    /// exception leaves the state as it was; the certified data is always a 32-byte root hash.
    /// </summary>
    public bool IsTransactional => true;

    /// <summary>A canister sharing the current (immutable) state: O(1), unaffected by later updates to this one.</summary>
    public ICanister QueryView() => new InternetIdentityCanister(CanisterId, State, Assets, CertifiedData);

    /// <summary>Runs an update call through the canister contract.</summary>
    public CanisterReply Update(Protocol.Canister.CallContext context, string method, ReadOnlySpan<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ctx = new Core.CallContext(Principal.FromBytes(context.Caller.Span), context.TimeNanos, context.Randomness);
        return ToReply(Update(ctx, method, argument), method, query: false);
    }

    /// <summary>Runs a query through the canister contract (the certificate, if any, signs <c>get_delegation</c>).</summary>
    public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ctx = new Core.CallContext(Principal.FromBytes(context.Caller.Span), context.TimeNanos, new byte[32], context.Certificate?.ToArray());
        return ToReply(Query(ctx, method, argument), method, query: true);
    }

    private CanisterReply ToReply(CanisterResponse r, string method, bool query) => r switch
    {
        { Reply: { } reply } => CanisterReply.Reply(reply),
        { RejectCode: CanisterResponse.DestinationInvalid } => CanisterReply.NoSuchMethod(method, query, CanisterId),
        _ => CanisterReply.Trap(r.RejectMessage!),
    };

    /// <summary>Replaces the state with a snapshot's.</summary>
    /// <exception cref="FormatException">the bytes are not a snapshot of this canister.</exception>
    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        CanisterState state = StateSnapshot.Read(snapshot);
        if (!state.Config.Equals(State.Config))
        {
            Assets = FrontendAssets.Build(CanisterId, state.Config);
        }

        State = state;
        CertifiedData = Execution.CertifiedData(Assets, state);
    }

    /// <summary>Whether <paramref name="method"/> is exported as a query.</summary>
    public static bool IsQueryMethod(string method) => Methods.Table.Find(method)?.IsQuery == true;

    /// <summary>Runs an update call: the state changes only when the call replies.</summary>
    internal CanisterResponse Update(Core.CallContext context, string method, ReadOnlySpan<byte> argument) => Run(context, method, argument, commit: true);

    /// <summary>Runs a query: the state never changes.</summary>
    internal CanisterResponse Query(Core.CallContext context, string method, ReadOnlySpan<byte> argument) => Run(context, method, argument, commit: false);

    private CanisterResponse Run(Core.CallContext context, string method, ReadOnlySpan<byte> argument, bool commit)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Randomness.Length < 32)
        {
            throw new ArgumentException("a call context carries 32 bytes of randomness", nameof(context));
        }

        Method? m = Methods.Table.Find(method);
        if (m is null)
        {
            return CanisterResponse.Rejected(
                CanisterResponse.DestinationInvalid,
                $"Canister {CanisterId} has no {(commit ? "update" : "query")} method '{method}'");
        }

        IReadOnlyList<CandidValue> args;
        try
        {
            args = CandidDecoder.Decode(argument, m.Arguments);
        }
        catch (CandidFormatException e)
        {
            return CanisterResponse.Rejected(CanisterResponse.CanisterError, $"failed to decode call arguments: {e.Message}");
        }

        var execution = new Execution(State, context, CanisterId, Assets);
        byte[] reply;
        try
        {
            CandidValue[] results = m.Handler(execution, args);
            reply = CandidEncoder.Encode(m.Results, results);
        }
        catch (CanisterTrap trap)
        {
            return CanisterResponse.Rejected(CanisterResponse.CanisterError, trap.Message);
        }

        if (commit && !ReferenceEquals(execution.State, State))
        {
            Commit(execution.State);
        }

        return CanisterResponse.Replied(reply);
    }

    private void Commit(CanisterState state)
    {
        bool configChanged = !ReferenceEquals(state.Config, State.Config) && !state.Config.Equals(State.Config);
        if (configChanged)
        {
            Assets = FrontendAssets.Build(CanisterId, state.Config); // the HTML carries the configuration
        }

        if (configChanged || !ReferenceEquals(state.Signatures, State.Signatures))
        {
            CertifiedData = Execution.CertifiedData(Assets, state);
        }

        State = state;
    }

    /// <summary>The whole state as bytes: equal states give equal bytes.</summary>
    public byte[] Snapshot() => StateSnapshot.Write(State);

    /// <inheritdoc/>
    public IPreparedSnapshot PrepareSnapshot() => StateSnapshot.Prepare(State);

    /// <summary>A canister restored from <see cref="Snapshot"/> bytes.</summary>
    /// <exception cref="FormatException">the bytes are not a snapshot.</exception>
    public static InternetIdentityCanister Restore(Principal canisterId, ReadOnlySpan<byte> snapshot)
    {
        ArgumentNullException.ThrowIfNull(canisterId);
        return new InternetIdentityCanister(canisterId, StateSnapshot.Read(snapshot));
    }

    internal ImmutableArray<string> MethodNames => [.. Methods.Table.All.Select(m => m.Name).Order(StringComparer.Ordinal)];
}
