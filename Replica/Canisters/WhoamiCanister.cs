using System.Security.Cryptography;
using System.Text;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Canister;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Replica.Canisters;

/// <summary>
/// A tiny stateless canister at <c>rwlgt-iiaaa-aaaaa-aaaaa-cai</c> whose update and query <c>whoami</c> reply with the
/// caller's principal, so that a delegation chain can be checked end to end.
/// </summary>
public sealed class WhoamiCanister : ICanister, ICanisterQueryView
{
    /// <summary>Its canister id (index 0 of the subnet's range).</summary>
    public static Principal Id { get; } = Principal.CanisterId(0);

    /// <summary>Its Candid interface.</summary>
    public const string CandidService = "service : {\n  whoami : () -> (principal);\n  whoami_query : () -> (principal) query;\n}\n";

    private static readonly byte[] s_moduleHash = SHA256.HashData(Encoding.UTF8.GetBytes("iinet whoami canister v1\n" + CandidService));

    private static readonly IReadOnlyDictionary<string, CanisterMetadata> s_metadata = new Dictionary<string, CanisterMetadata>
    {
        [CanisterContract.CandidServiceMetadata] = new(Encoding.UTF8.GetBytes(CandidService), true),
    };

    /// <summary>Itself: the canister has no state.</summary>
    public ICanister QueryView() => this;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> CertifiedData => ReadOnlyMemory<byte>.Empty;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> ModuleHash => s_moduleHash;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, CanisterMetadata> Metadata => s_metadata;

    private static readonly ExportedMethods s_exports = new(["whoami"], ["whoami_query"]);

    /// <inheritdoc/>
    public ExportedMethods Exports => s_exports;

    /// <inheritdoc/>
    public CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(context);
        return method == "whoami" ? Reply(context.Caller.Span, argument) : CanisterReply.NoSuchMethod(method, query: false, Id);
    }

    /// <inheritdoc/>
    public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument)
    {
        ArgumentNullException.ThrowIfNull(context);
        return s_exports.AcceptsQueryCall(method) ? Reply(context.Caller.Span, argument) : CanisterReply.NoSuchMethod(method, query: true, Id);
    }

    private static CanisterReply Reply(ReadOnlySpan<byte> caller, ReadOnlySpan<byte> argument)
    {
        try
        {
            CandidDecoder.Decode(argument, []);
        }
        catch (CandidFormatException e)
        {
            return CanisterReply.Reject(RejectCode.CanisterError, "failed to decode call arguments: " + e.Message, "IC0503");
        }

        return CanisterReply.Reply(CandidEncoder.Encode(CandidType.Principal, CandidValue.OfPrincipal(new CandidPrincipal(caller))));
    }
}
