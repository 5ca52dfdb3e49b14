using System.Formats.Cbor;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Principals;
using InternetIdentity.Protocol.RequestIds;
using static InternetIdentity.Protocol.RequestIds.RepresentationIndependentHash;

namespace InternetIdentity.Protocol.Envelopes;

/// <summary>
/// The content of a request: call and query carry canister_id, method_name and arg; read_state carries paths. Its request id
/// is the representation-independent hash of the fields present (only the fields the replica knows are kept).
/// </summary>
public sealed record RequestContent
{
    /// <summary>The longest nonce the IC accepts.</summary>
    public const int MaxNonceLength = 32;

    /// <summary>call, query or read_state.</summary>
    public required RequestType RequestType { get; init; }

    /// <summary>The sender.</summary>
    public required Principal Sender { get; init; }

    /// <summary>Expiry in nanoseconds since the epoch.</summary>
    public required ulong IngressExpiry { get; init; }

    /// <summary>Optional nonce (at most 32 bytes).</summary>
    public byte[]? Nonce { get; init; }

    /// <summary>The target canister (call and query).</summary>
    public Principal? CanisterId { get; init; }

    /// <summary>The method (call and query).</summary>
    public string? MethodName { get; init; }

    /// <summary>The Candid argument (call and query).</summary>
    public byte[]? Arg { get; init; }

    /// <summary>The state-tree paths to read (read_state).</summary>
    public IReadOnlyList<IReadOnlyList<byte[]>>? Paths { get; init; }

    /// <summary>A call or query content.</summary>
    public static RequestContent Call(RequestType type, Principal sender, Principal canisterId, string methodName, byte[] arg, ulong ingressExpiry, byte[]? nonce = null)
    {
        if (type == RequestType.ReadState)
        {
            throw new ArgumentException("use ReadState for read_state contents", nameof(type));
        }

        return new RequestContent
        {
            RequestType = type, Sender = sender, CanisterId = canisterId, MethodName = methodName, Arg = arg, IngressExpiry = ingressExpiry, Nonce = nonce,
        };
    }

    /// <summary>A read_state content.</summary>
    public static RequestContent ReadState(Principal sender, IReadOnlyList<IReadOnlyList<byte[]>> paths, ulong ingressExpiry, byte[]? nonce = null) =>
        new() { RequestType = RequestType.ReadState, Sender = sender, Paths = paths, IngressExpiry = ingressExpiry, Nonce = nonce };

    /// <summary>The request_type text.</summary>
    public string RequestTypeText => RequestType switch
    {
        RequestType.Call => "call",
        RequestType.Query => "query",
        _ => "read_state",
    };

    /// <summary>The request id: hash_of_map of the content.</summary>
    public RequestId ComputeRequestId()
    {
        var fields = new List<KeyValuePair<string, byte[]>>
        {
            new("request_type", Text(RequestTypeText)),
            new("sender", Blob(Sender.Bytes)),
            new("ingress_expiry", Nat(IngressExpiry)),
        };
        if (Nonce is not null)
        {
            fields.Add(new("nonce", Blob(Nonce)));
        }

        if (RequestType == RequestType.ReadState)
        {
            fields.Add(new("paths", RepresentationIndependentHash.Array(Paths!.Select(p => RepresentationIndependentHash.Array(p.Select(l => Blob(l)))))));
        }
        else
        {
            fields.Add(new("canister_id", Blob(CanisterId!.Bytes)));
            fields.Add(new("method_name", Text(MethodName!)));
            fields.Add(new("arg", Blob(Arg!)));
        }

        return new RequestId(Map(fields));
    }

    /// <summary>Writes the content map.</summary>
    public void Write(CborWriter writer)
    {
        bool read = RequestType == RequestType.ReadState;
        writer.WriteStartMap((read ? 4 : 6) + (Nonce is null ? 0 : 1));
        writer.WriteTextString("request_type");
        writer.WriteTextString(RequestTypeText);
        if (read)
        {
            writer.WriteTextString("paths");
            writer.WriteStartArray(Paths!.Count);
            foreach (IReadOnlyList<byte[]> path in Paths)
            {
                writer.WriteStartArray(path.Count);
                foreach (byte[] label in path)
                {
                    writer.WriteByteString(label);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteTextString("canister_id");
            writer.WriteByteString(CanisterId!.Bytes);
            writer.WriteTextString("method_name");
            writer.WriteTextString(MethodName!);
            writer.WriteTextString("arg");
            writer.WriteByteString(Arg!);
        }

        writer.WriteTextString("sender");
        writer.WriteByteString(Sender.Bytes);
        writer.WriteTextString("ingress_expiry");
        writer.WriteUInt64(IngressExpiry);
        if (Nonce is not null)
        {
            writer.WriteTextString("nonce");
            writer.WriteByteString(Nonce);
        }

        writer.WriteEndMap();
    }

    /// <summary>Reads a content map; unknown fields are skipped, missing or ill-typed ones raise <see cref="CborFormatException"/>.</summary>
    public static RequestContent Read(CborReader reader)
    {
        string? type = null, method = null;
        byte[]? sender = null, canister = null, arg = null, nonce = null;
        ulong? expiry = null;
        List<IReadOnlyList<byte[]>>? paths = null;
        IcCbor.ReadMap(reader, key =>
        {
            switch (key)
            {
                case "request_type": type = IcCbor.ReadText(reader); break;
                case "sender": sender = IcCbor.ReadBlob(reader); break;
                case "ingress_expiry": expiry = IcCbor.ReadNat64(reader); break;
                case "nonce": nonce = IcCbor.ReadBlob(reader); break;
                case "canister_id": canister = IcCbor.ReadBlob(reader); break;
                case "method_name": method = IcCbor.ReadText(reader); break;
                case "arg": arg = IcCbor.ReadBlob(reader); break;
                case "paths": paths = ReadPaths(reader); break;
                default: IcCbor.SkipValue(reader); break;
            }
        });

        RequestType requestType = type switch
        {
            "call" => RequestType.Call,
            "query" => RequestType.Query,
            "read_state" => RequestType.ReadState,
            null => throw new CborFormatException("request content has no request_type"),
            _ => throw new CborFormatException($"unknown request_type '{type}'"),
        };
        if (sender is null || expiry is null)
        {
            throw new CborFormatException("request content needs sender and ingress_expiry");
        }

        if (nonce is { Length: > MaxNonceLength })
        {
            throw new CborFormatException($"nonce has {nonce.Length} bytes, at most {MaxNonceLength} allowed");
        }

        Principal senderId = ToPrincipal(sender, "sender");
        if (requestType == RequestType.ReadState)
        {
            return ReadState(senderId, paths ?? throw new CborFormatException("read_state content has no paths"), expiry.Value, nonce);
        }

        if (canister is null || method is null || arg is null)
        {
            throw new CborFormatException($"{type} content needs canister_id, method_name and arg");
        }

        return Call(requestType, senderId, ToPrincipal(canister, "canister_id"), method, arg, expiry.Value, nonce);
    }

    private static Principal ToPrincipal(byte[] bytes, string field) =>
        Principal.TryFromBytes(bytes, out Principal p) ? p : throw new CborFormatException($"{field} is longer than {Principal.MaxLength} bytes");

    private static List<IReadOnlyList<byte[]>> ReadPaths(CborReader reader)
    {
        var paths = new List<IReadOnlyList<byte[]>>();
        IcCbor.ReadArray(reader, () =>
        {
            var path = new List<byte[]>();
            IcCbor.ReadArray(reader, () => path.Add(IcCbor.ReadBlob(reader)));
            paths.Add(path);
        });
        return paths;
    }
}
