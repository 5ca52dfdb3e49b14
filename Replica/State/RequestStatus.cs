using InternetIdentity.Protocol.HashTrees;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;

namespace InternetIdentity.Replica.State;

/// <summary>
/// The outcome of an executed ingress message as the state tree shows it under <c>/request_status/&lt;rid&gt;</c>, with
/// what read_state needs to decide who may read it (sender and canister) and when it may be forgotten (expiry).
/// </summary>
public sealed class RequestStatus
{
    // Every status subtree shares its labels and its status leaf (with the leaf's labeled digest, cached once): under
    // load a replica holds tens of thousands of statuses, and each object they hold is copied by every young GC.
    private static readonly Label s_status = "status";
    private static readonly Label s_reply = "reply";
    private static readonly Label s_rejectCode = "reject_code";
    private static readonly Label s_rejectMessage = "reject_message";
    private static readonly Label s_errorCode = "error_code";
    private static readonly LabeledTree s_replied = LabeledTree.Leaf("replied"u8.ToArray());
    private static readonly LabeledTree s_rejected = LabeledTree.Leaf("rejected"u8.ToArray());

    private LabeledTree? _subtree;

    private RequestStatus(RequestId id, Principal sender, Principal canisterId, ulong expiryNanos, byte[]? reply, int rejectCode, string? rejectMessage, string? errorCode)
    {
        Id = id;
        Sender = sender;
        CanisterId = canisterId;
        ExpiryNanos = expiryNanos;
        Reply = reply;
        RejectCode = rejectCode;
        RejectMessage = rejectMessage;
        ErrorCode = errorCode;
    }

    /// <summary>The request id.</summary>
    public RequestId Id { get; }

    /// <summary>Who sent the request.</summary>
    public Principal Sender { get; }

    /// <summary>The canister it was sent to (its effective canister id).</summary>
    public Principal CanisterId { get; }

    /// <summary>The request's ingress_expiry; the status is kept at least until then.</summary>
    public ulong ExpiryNanos { get; }

    /// <summary>The reply's Candid bytes, or null if rejected.</summary>
    public byte[]? Reply { get; }

    /// <summary>The reject code (0 when replied).</summary>
    public int RejectCode { get; }

    /// <summary>The reject message (null when replied).</summary>
    public string? RejectMessage { get; }

    /// <summary>The IC error code such as <c>IC0503</c>, when known.</summary>
    public string? ErrorCode { get; }

    /// <summary>The <c>status</c> leaf: <c>replied</c> or <c>rejected</c>.</summary>
    public string Status => Reply is null ? "rejected" : "replied";

    /// <summary>Whether the request was replied to.</summary>
    public bool IsReplied => Reply is not null;

    /// <summary>A replied request.</summary>
    public static RequestStatus Replied(RequestId id, Principal sender, Principal canisterId, ulong expiryNanos, byte[] reply) =>
        new(id, sender, canisterId, expiryNanos, reply ?? throw new ArgumentNullException(nameof(reply)), 0, null, null);

    /// <summary>A rejected request.</summary>
    public static RequestStatus Rejected(RequestId id, Principal sender, Principal canisterId, ulong expiryNanos, int code, string message, string? errorCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 1);
        return new(id, sender, canisterId, expiryNanos, null, code, message ?? throw new ArgumentNullException(nameof(message)), errorCode);
    }

    /// <summary>The subtree under <c>/request_status/&lt;rid&gt;</c> (built once: statuses never change).</summary>
    public LabeledTree Subtree => _subtree ??= BuildSubtree();

    private LabeledTree BuildSubtree()
    {
        if (Reply is not null)
        {
            return LabeledTree.NodeFromSorted([s_reply, s_status], [LabeledTree.Leaf(Reply), s_replied]);
        }

        var reject = new List<(Label, LabeledTree)>
        {
            (s_status, s_rejected),
            (s_rejectCode, LabeledTree.Leaf(Leb128.EncodeUnsigned((ulong)RejectCode))),
            (s_rejectMessage, LabeledTree.Leaf(System.Text.Encoding.UTF8.GetBytes(RejectMessage!))),
        };
        if (ErrorCode is not null)
        {
            reject.Add((s_errorCode, LabeledTree.Leaf(System.Text.Encoding.UTF8.GetBytes(ErrorCode))));
        }

        return LabeledTree.Node(reject.ToArray());
    }
}
