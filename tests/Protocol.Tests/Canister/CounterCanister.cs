using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using InternetIdentity.Protocol.Candid;
using InternetIdentity.Protocol.Candid.Mapping;
using InternetIdentity.Protocol.Canister;

namespace InternetIdentity.Protocol.Tests.Canister;

/// <summary>
/// A tiny canister exercising the contract: <c>increment : (nat64) -> (nat64)</c> (traps on overflow, state
/// untouched), <c>get : () -> (nat64) query</c>, <c>last_caller : () -> (opt principal) query</c>,
/// <c>certificate : () -> (opt blob) query</c>. The certified data is the counter as 8 big-endian bytes.
/// It validates before it commits, as the contract asks.
/// </summary>
internal sealed class CounterCanister : ICanister, ICanisterSnapshots
{
    public const string Did = "service : { increment : (nat64) -> (nat64); get : () -> (nat64) query; " +
        "last_caller : () -> (opt principal) query; certificate : () -> (opt blob) query }";

    private ulong _count;
    private byte[]? _lastCaller;

    public ReadOnlyMemory<byte> CertifiedData { get; private set; } = new byte[8];

    public ReadOnlyMemory<byte> ModuleHash { get; } = SHA256.HashData("counter canister v1"u8);

    public IReadOnlyDictionary<string, CanisterMetadata> Metadata { get; } = new Dictionary<string, CanisterMetadata>
    {
        [CanisterContract.CandidServiceMetadata] = new(Encoding.UTF8.GetBytes(Did), IsPublic: true),
    };

    public ExportedMethods Exports { get; } = new(["increment"], ["get", "last_caller", "certificate"]);

    public CanisterReply Update(CallContext context, string method, ReadOnlySpan<byte> argument)
    {
        if (method != "increment")
        {
            return CanisterReply.NoSuchMethod(method, query: false);
        }

        ulong by;
        try
        {
            by = CandidArgs.Decode<ulong>(argument);
        }
        catch (CandidFormatException e)
        {
            return CanisterReply.Trap("failed to decode the argument: " + e.Message);
        }

        // Validate, then commit: a trap leaves everything as it was.
        if (by > ulong.MaxValue - _count)
        {
            return CanisterReply.Trap($"counter overflow: {_count} + {by}");
        }

        _count += by;
        _lastCaller = context.Caller.ToArray();
        var certified = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(certified, _count);
        CertifiedData = CanisterContract.CheckCertifiedData(certified);
        return CanisterReply.Reply(CandidArgs.Encode(_count));
    }

    public CanisterReply Query(QueryContext context, string method, ReadOnlySpan<byte> argument)
    {
        try
        {
            CandidArgs.Decode(argument);
        }
        catch (CandidFormatException e)
        {
            return CanisterReply.Trap("failed to decode the argument: " + e.Message);
        }

        return method switch
        {
            "get" => CanisterReply.Reply(CandidArgs.Encode(_count)),
            "last_caller" => CanisterReply.Reply(CandidArgs.Encode(_lastCaller is null ? (CandidPrincipal?)null : new CandidPrincipal(_lastCaller))),
            "certificate" => CanisterReply.Reply(CandidArgs.Encode(context.Certificate is { } c ? CandidOptional<byte[]>.Some(c.ToArray()) : CandidOptional<byte[]>.None)),
            _ => CanisterReply.NoSuchMethod(method, query: true),
        };
    }

    public byte[] Snapshot() => CandidArgs.Encode(_count, _lastCaller is null ? (CandidPrincipal?)null : new CandidPrincipal(_lastCaller));

    public void Restore(ReadOnlySpan<byte> snapshot)
    {
        (ulong count, CandidPrincipal? caller) = CandidArgs.Decode<ulong, CandidPrincipal?>(snapshot);
        _count = count;
        _lastCaller = caller?.Span.ToArray();
        var certified = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(certified, _count);
        CertifiedData = certified;
    }
}
