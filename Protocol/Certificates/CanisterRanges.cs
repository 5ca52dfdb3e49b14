using System.Formats.Cbor;
using InternetIdentity.Protocol.Cbor;
using InternetIdentity.Protocol.Principals;

namespace InternetIdentity.Protocol.Certificates;

/// <summary>Canister ranges of a subnet: closed intervals of principals in byte order, encoded <c>tag55799 [* [lo, hi]]</c>.</summary>
public sealed class CanisterRanges
{
    /// <summary>Creates ranges from (low, high) pairs.</summary>
    public CanisterRanges(IReadOnlyList<(Principal Low, Principal High)> ranges) => Ranges = ranges ?? throw new ArgumentNullException(nameof(ranges));

    /// <summary>The closed intervals.</summary>
    public IReadOnlyList<(Principal Low, Principal High)> Ranges { get; }

    /// <summary>Whether a principal lies in one of the intervals.</summary>
    public bool Contains(Principal id) => Ranges.Any(r => r.Low.CompareTo(id) <= 0 && id.CompareTo(r.High) <= 0);

    /// <summary>Decodes ranges; throws <see cref="CborFormatException"/>.</summary>
    public static CanisterRanges Decode(ReadOnlyMemory<byte> cbor) => IcCbor.Decode(cbor, reader =>
    {
        var ranges = new List<(Principal, Principal)>();
        IcCbor.ReadArray(reader, () =>
        {
            int? n = reader.ReadStartArray();
            if (n is not 2)
            {
                throw new CborFormatException("a canister range is a pair [low, high]");
            }

            Principal Read() => Principal.TryFromBytes(IcCbor.ReadBlob(reader), out Principal p) ? p : throw new CborFormatException("range bound longer than 29 bytes");
            Principal low = Read();
            ranges.Add((low, Read()));
            reader.ReadEndArray();
        });
        return new CanisterRanges(ranges);
    }, "canister ranges");

    /// <summary>The encoding <c>tag55799 [* [lo, hi]]</c>.</summary>
    public byte[] Encode()
    {
        CborWriter writer = IcCbor.CreateWriter();
        writer.WriteStartArray(Ranges.Count);
        foreach ((Principal low, Principal high) in Ranges)
        {
            writer.WriteStartArray(2);
            writer.WriteByteString(low.Bytes);
            writer.WriteByteString(high.Bytes);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        return writer.Encode();
    }
}
