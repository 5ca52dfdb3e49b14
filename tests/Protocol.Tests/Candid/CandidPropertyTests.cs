using System.Numerics;
using CsCheck;
using InternetIdentity.Protocol.Candid;

namespace InternetIdentity.Protocol.Tests.Candid;

/// <summary>
/// Properties over random types and values (CsCheck prints the failing seed): encode then decode is the
/// identity, and random or damaged bytes only ever raise <see cref="CandidFormatException"/>.
/// </summary>
public class CandidPropertyTests
{
    [Test]
    public void EncodeDecode_RandomTypesAndValues_RoundTrip()
    {
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            int argc = rng.Next(0, 4);
            var types = new CandidType[argc];
            var values = new CandidValue[argc];
            for (int i = 0; i < argc; i++)
            {
                types[i] = RandomTypes.Type(rng, 3);
                values[i] = RandomTypes.Value(rng, types[i], 3);
            }

            byte[] bytes = CandidEncoder.Encode(types, values);
            IReadOnlyList<CandidValue> decoded = CandidDecoder.Decode(bytes, types);
            Assert.That(decoded, Is.EqualTo(values), $"seed {seed}: {CandidTextWriter.ArgumentsToString(values)}");

            // The wire types the decoder reads back describe the same values.
            CandidMessage untyped = CandidDecoder.DecodeUntyped(bytes);
            Assert.That(untyped.Values, Has.Count.EqualTo(argc));
        }, iter: 3000);
    }

    [Test]
    public void Decode_TruncatedMessages_OnlyThrowFormatException()
    {
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            CandidType type = RandomTypes.Type(rng, 3);
            byte[] bytes = CandidEncoder.Encode(type, RandomTypes.Value(rng, type, 3));
            int cut = rng.Next(0, bytes.Length);
            AssertOnlyFormatErrors(bytes.AsSpan(0, cut).ToArray(), type);
        }, iter: 3000);
    }

    [Test]
    public void Decode_MutatedMessages_OnlyThrowFormatException()
    {
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            CandidType type = RandomTypes.Type(rng, 3);
            byte[] bytes = CandidEncoder.Encode(type, RandomTypes.Value(rng, type, 3));
            int flips = rng.Next(1, 4);
            for (int i = 0; i < flips; i++)
            {
                bytes[rng.Next(4, bytes.Length)] = (byte)rng.Next(256);
            }

            AssertOnlyFormatErrors(bytes, type);
        }, iter: 3000);
    }

    [Test]
    public void Decode_RandomBytesAfterMagic_OnlyThrowFormatException()
    {
        Gen.Byte.Array[0, 64].Sample(tail =>
        {
            byte[] bytes = [.. "DIDL"u8, .. tail];
            AssertOnlyFormatErrors(bytes, CandidType.Nat);
        }, iter: 10000);
    }

    private static void AssertOnlyFormatErrors(byte[] bytes, CandidType expected)
    {
        try
        {
            CandidDecoder.Decode(bytes, [expected]);
            CandidDecoder.DecodeUntyped(bytes);
        }
        catch (CandidFormatException)
        {
            // the documented failure
        }
    }
}

/// <summary>Random Candid types and values of them, for property tests.</summary>
internal static class RandomTypes
{
    private static readonly CandidPrimitiveType[] s_primitives =
    [
        CandidType.Null, CandidType.Bool, CandidType.Nat, CandidType.Int, CandidType.Nat8, CandidType.Nat16, CandidType.Nat32,
        CandidType.Nat64, CandidType.Int8, CandidType.Int16, CandidType.Int32, CandidType.Int64, CandidType.Float32,
        CandidType.Float64, CandidType.Text, CandidType.Reserved, CandidType.Principal,
    ];

    private static readonly string[] s_names = ["pubkey", "alias", "credential_id", "origin", "purpose", "a", "b", "ok", "err", "☃"];

    public static CandidType Type(Random rng, int depth)
    {
        int choice = depth == 0 ? 0 : rng.Next(0, 9);
        switch (choice)
        {
            case 1: return CandidType.Opt(Type(rng, depth - 1));
            case 2: return CandidType.Vec(Type(rng, depth - 1));
            case 3: return CandidType.Blob;
            case 4: return CandidType.Record(Fields(rng, depth, min: 0));
            case 5: return CandidType.Variant(Fields(rng, depth, min: 1));
            case 6: return CandidType.Tuple(Enumerable.Range(0, rng.Next(0, 4)).Select(_ => Type(rng, depth - 1)).ToArray());
            case 7:
                return rng.Next(2) == 0
                    ? new CandidFuncType([Type(rng, depth - 1)], [Type(rng, depth - 1)], CandidFuncModes.Query)
                    : new CandidServiceType([new CandidMethod("m", new CandidFuncType([], [], CandidFuncModes.None))]);
            case 8:
                var list = new CandidRecursiveType("List");
                list.Define(CandidType.Opt(CandidType.Record(("head", Type(rng, depth - 1)), ("tail", list))));
                return list;
            default: return s_primitives[rng.Next(s_primitives.Length)];
        }
    }

    public static CandidValue Value(Random rng, CandidType type, int budget)
    {
        CandidType t = type.Resolve();
        switch (t)
        {
            case CandidPrimitiveType p:
                return Primitive(rng, p.Kind);
            case CandidOptType o:
                return budget <= 0 || rng.Next(3) == 0 ? CandidValue.None : CandidValue.Some(Value(rng, o.Inner, budget - 1));
            case CandidVecType v when v.IsBlob:
                var bytes = new byte[rng.Next(0, 40)];
                rng.NextBytes(bytes);
                return CandidValue.Blob(bytes);
            case CandidVecType v:
                int n = budget <= 0 ? 0 : rng.Next(0, 4);
                return new CandidVec(Enumerable.Range(0, n).Select(_ => Value(rng, v.Element, budget - 1)).ToList());
            case CandidRecordType r:
                return new CandidRecord(r.Fields.Select(f => new CandidFieldValue(f.Label, Value(rng, f.Type, budget - 1))));
            case CandidVariantType vt:
                CandidField c = vt.Fields[rng.Next(vt.Fields.Count)];
                return new CandidVariant(c.Label, Value(rng, c.Type, budget - 1));
            case CandidFuncType:
                return new CandidFuncValue(Principal(rng), rng.Next(2) == 0 ? "get" : "☃ method");
            case CandidServiceType:
                return new CandidServiceValue(Principal(rng));
            default:
                throw new InvalidOperationException(t.ToString());
        }
    }

    private static List<CandidField> Fields(Random rng, int depth, int min)
    {
        int n = rng.Next(min, 4);
        var labels = new Dictionary<uint, CandidLabel>();
        while (labels.Count < n)
        {
            CandidLabel l = rng.Next(2) == 0 ? CandidLabel.Named(s_names[rng.Next(s_names.Length)]) : CandidLabel.Numbered((uint)rng.Next(0, 6));
            labels[l.Id] = l;
        }

        return labels.Values.Select(l => new CandidField(l, Type(rng, depth - 1))).ToList();
    }

    private static CandidPrincipal Principal(Random rng)
    {
        var bytes = new byte[rng.Next(0, 30)];
        rng.NextBytes(bytes);
        return new CandidPrincipal(bytes);
    }

    private static CandidValue Primitive(Random rng, CandidTypeKind kind)
    {
        long l = rng.NextInt64(long.MinValue, long.MaxValue);
        return kind switch
        {
            CandidTypeKind.Null => CandidValue.Null,
            CandidTypeKind.Reserved => CandidValue.Reserved,
            CandidTypeKind.Bool => CandidValue.Bool(rng.Next(2) == 0),
            CandidTypeKind.Nat => CandidValue.Nat(BigInteger.Abs(new BigInteger(l)) << rng.Next(0, 100)),
            CandidTypeKind.Int => CandidValue.Int(new BigInteger(l) << rng.Next(0, 100)),
            CandidTypeKind.Nat8 => CandidValue.Nat8((byte)l),
            CandidTypeKind.Nat16 => CandidValue.Nat16((ushort)l),
            CandidTypeKind.Nat32 => CandidValue.Nat32((uint)l),
            CandidTypeKind.Nat64 => CandidValue.Nat64((ulong)l),
            CandidTypeKind.Int8 => CandidValue.Int8((sbyte)l),
            CandidTypeKind.Int16 => CandidValue.Int16((short)l),
            CandidTypeKind.Int32 => CandidValue.Int32((int)l),
            CandidTypeKind.Int64 => CandidValue.Int64(l),
            CandidTypeKind.Float32 => CandidValue.Float32(BitConverter.Int32BitsToSingle((int)l)),
            CandidTypeKind.Float64 => CandidValue.Float64(BitConverter.Int64BitsToDouble(l)),
            CandidTypeKind.Text => CandidValue.Text(rng.Next(3) switch { 0 => "", 1 => "hello", _ => "☃ snow 🐂" }),
            CandidTypeKind.Principal => CandidValue.OfPrincipal(Principal(rng)),
            _ => throw new InvalidOperationException(kind.ToString()),
        };
    }
}
