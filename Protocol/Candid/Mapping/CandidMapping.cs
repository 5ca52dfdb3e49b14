using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace InternetIdentity.Protocol.Candid.Mapping;

/// <summary>
/// Maps C# types to Candid types, building each codec once (reflection and compiled accessors at build time,
/// none per call). bool, byte/ushort/uint/ulong (nat8..nat64), sbyte/short/int/long (int8..int64), float,
/// double, string (text), BigInteger (int, or nat with <see cref="CandidNatAttribute"/>), byte[] and
/// ReadOnlyMemory&lt;byte&gt; (blob), <see cref="CandidPrincipal"/> (principal), nullable types (opt), arrays and
/// lists (vec), value tuples (tuple records), enums (variants of null), <see cref="CandidVariantAttribute"/>
/// classes (variants), <see cref="CandidOptional{T}"/> (opt), and records/classes (records of their constructor parameters and settable properties;
/// names from <see cref="CandidNameAttribute"/> or snake_case).
/// </summary>
public static class CandidMapping
{
    private static readonly ConcurrentDictionary<Type, ICandidCodec> s_cache = new();
    private static readonly Lock s_buildGate = new();

    /// <summary>The codec of <typeparamref name="T"/>.</summary>
    public static CandidCodec<T> CodecFor<T>() => Cache<T>.Codec;

    /// <summary>The codec of a C# type.</summary>
    public static ICandidCodec CodecFor(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (s_buildGate)
        {
            return new Builder().Build(type, nullability: null, isNat: false);
        }
    }

    /// <summary>The snake_case form of a C# name (<c>CredentialId</c> to <c>credential_id</c>).</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1])));
                if (boundary)
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static class Cache<T>
    {
        public static readonly CandidCodec<T> Codec = new(CodecFor(typeof(T)));
    }

    /// <summary>Builds codecs; named types (records, variants, enums) are cached, knots close recursion.</summary>
    private sealed class Builder
    {
        private readonly Dictionary<Type, ForwardCodec> _inProgress = [];
        private readonly NullabilityInfoContext _nullability = new();

        public ICandidCodec Build(Type type, NullabilityInfo? nullability, bool isNat)
        {
            Type? underlying = Nullable.GetUnderlyingType(type);
            if (underlying is not null)
            {
                return new OptCodec(Build(underlying, null, isNat));
            }

            if (!type.IsValueType && nullability?.ReadState == NullabilityState.Nullable)
            {
                return new OptCodec(BuildNonNull(type, nullability, isNat));
            }

            return BuildNonNull(type, nullability, isNat);
        }

        private ICandidCodec BuildNonNull(Type type, NullabilityInfo? nullability, bool isNat)
        {
            if (Primitive(type, isNat) is { } primitive)
            {
                return primitive;
            }

            if (type.IsArray && type.GetArrayRank() == 1)
            {
                return Vec(type.GetElementType()!, nullability?.ElementType, asArray: true);
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() is var def
                && (def == typeof(List<>) || def == typeof(IReadOnlyList<>) || def == typeof(IList<>)
                    || def == typeof(IEnumerable<>) || def == typeof(IReadOnlyCollection<>) || def == typeof(ICollection<>)))
            {
                NullabilityInfo? element = nullability?.GenericTypeArguments.Length == 1 ? nullability.GenericTypeArguments[0] : null;
                return Vec(type.GetGenericArguments()[0], element, asArray: false);
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(CandidOptional<>))
            {
                NullabilityInfo? inner = nullability?.GenericTypeArguments.Length == 1 ? nullability.GenericTypeArguments[0] : null;
                Type t = type.GetGenericArguments()[0];
                return (ICandidCodec)Activator.CreateInstance(typeof(ExplicitOptCodec<>).MakeGenericType(t), Build(t, inner, isNat))!;
            }

            if (type.IsGenericType && type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true)
            {
                return Tuple(type, nullability);
            }

            if (s_cache.TryGetValue(type, out ICandidCodec? cached))
            {
                return cached;
            }

            if (_inProgress.TryGetValue(type, out ForwardCodec? forward))
            {
                return forward;
            }

            forward = new ForwardCodec(type.Name);
            _inProgress[type] = forward;
            ICandidCodec codec;
            if (type.IsEnum)
            {
                codec = Enum(type);
            }
            else if (type.GetCustomAttribute<CandidVariantAttribute>(inherit: false) is not null)
            {
                codec = Variant(type);
            }
            else if (!type.IsPrimitive && !type.IsAbstract && !type.IsInterface && type != typeof(object))
            {
                codec = Record(type);
            }
            else
            {
                throw new ArgumentException($"{type} has no Candid mapping");
            }

            forward.Target = codec;
            forward.Knot.Define(codec.Type);
            _inProgress.Remove(type);
            s_cache[type] = codec;
            return codec;
        }

        private static ICandidCodec? Primitive(Type type, bool isNat)
        {
            if (type == typeof(bool))
            {
                return new DelegateCodec(CandidType.Bool, v => CandidValue.Bool((bool)v), v => ((CandidBool)v).Value);
            }

            if (type == typeof(string))
            {
                return new DelegateCodec(CandidType.Text, v => CandidValue.Text((string)v), v => ((CandidText)v).Value);
            }

            if (type == typeof(byte))
            {
                return new DelegateCodec(CandidType.Nat8, v => CandidValue.Nat8((byte)v), v => (byte)((CandidFixedNat)v).Value);
            }

            if (type == typeof(ushort))
            {
                return new DelegateCodec(CandidType.Nat16, v => CandidValue.Nat16((ushort)v), v => (ushort)((CandidFixedNat)v).Value);
            }

            if (type == typeof(uint))
            {
                return new DelegateCodec(CandidType.Nat32, v => CandidValue.Nat32((uint)v), v => (uint)((CandidFixedNat)v).Value);
            }

            if (type == typeof(ulong))
            {
                return new DelegateCodec(CandidType.Nat64, v => CandidValue.Nat64((ulong)v), v => ((CandidFixedNat)v).Value);
            }

            if (type == typeof(sbyte))
            {
                return new DelegateCodec(CandidType.Int8, v => CandidValue.Int8((sbyte)v), v => (sbyte)((CandidFixedInt)v).Value);
            }

            if (type == typeof(short))
            {
                return new DelegateCodec(CandidType.Int16, v => CandidValue.Int16((short)v), v => (short)((CandidFixedInt)v).Value);
            }

            if (type == typeof(int))
            {
                return new DelegateCodec(CandidType.Int32, v => CandidValue.Int32((int)v), v => (int)((CandidFixedInt)v).Value);
            }

            if (type == typeof(long))
            {
                return new DelegateCodec(CandidType.Int64, v => CandidValue.Int64((long)v), v => ((CandidFixedInt)v).Value);
            }

            if (type == typeof(float))
            {
                return new DelegateCodec(CandidType.Float32, v => CandidValue.Float32((float)v), v => ((CandidFloat32)v).Value);
            }

            if (type == typeof(double))
            {
                return new DelegateCodec(CandidType.Float64, v => CandidValue.Float64((double)v), v => ((CandidFloat64)v).Value);
            }

            if (type == typeof(BigInteger))
            {
                return isNat
                    ? new DelegateCodec(CandidType.Nat, v => ((BigInteger)v).Sign >= 0
                        ? CandidValue.Nat((BigInteger)v)
                        : throw new ArgumentException($"{v} is negative, not a nat"), v => ((CandidNat)v).Value)
                    : new DelegateCodec(CandidType.Int, v => CandidValue.Int((BigInteger)v), v => v is CandidNat n ? n.Value : ((CandidInt)v).Value);
            }

            if (type == typeof(byte[]))
            {
                return new DelegateCodec(CandidType.Blob, v => new CandidBlob((byte[])v), BlobBytes);
            }

            if (type == typeof(ReadOnlyMemory<byte>))
            {
                return new DelegateCodec(CandidType.Blob, v => new CandidBlob((ReadOnlyMemory<byte>)v), v => new ReadOnlyMemory<byte>(BlobBytes(v)));
            }

            if (type == typeof(CandidPrincipal))
            {
                return new DelegateCodec(CandidType.Principal, v => new CandidPrincipalValue((CandidPrincipal)v), v => ((CandidPrincipalValue)v).Principal);
            }

            return null;
        }

        private static byte[] BlobBytes(CandidValue v) => v switch
        {
            // A decoded blob owns a fresh array: hand it over rather than copying it again.
            CandidBlob b when MemoryMarshal.TryGetArray(b.Bytes, out ArraySegment<byte> s) && s.Offset == 0 && s.Count == s.Array!.Length => s.Array,
            CandidBlob b => b.Bytes.ToArray(),
            CandidVec vec => vec.Elements.Select(e => (byte)((CandidFixedNat)e).Value).ToArray(),
            _ => throw new InvalidCastException(),
        };

        private ICandidCodec Vec(Type element, NullabilityInfo? elementNullability, bool asArray)
        {
            ICandidCodec inner = Build(element, elementNullability, isNat: false);
            return (ICandidCodec)Activator.CreateInstance(typeof(VecCodec<>).MakeGenericType(element), inner, asArray)!;
        }

        private RecordCodec Tuple(Type type, NullabilityInfo? nullability)
        {
            Type[] args = type.GetGenericArguments();
            if (args.Length > 7)
            {
                throw new ArgumentException("value tuples of more than 7 elements have no Candid mapping");
            }

            ConstructorInfo ctor = type.GetConstructor(args)!;
            var fields = new List<MappedField>();
            for (int i = 0; i < args.Length; i++)
            {
                FieldInfo field = type.GetField("Item" + (i + 1))!;
                NullabilityInfo? n = nullability?.GenericTypeArguments.Length == args.Length ? nullability.GenericTypeArguments[i] : null;
                fields.Add(new MappedField(CandidLabel.Numbered((uint)i), Build(args[i], n, isNat: false), CompileGetter(type, field), i, null));
            }

            return new RecordCodec(fields, CompileConstructor(ctor), args.Length);
        }

        private RecordCodec Record(Type type)
        {
            ConstructorInfo? ctor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
                .OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
            if (ctor is null && !type.IsValueType)
            {
                throw new ArgumentException($"{type} has no public constructor");
            }

            ParameterInfo[] parameters = ctor?.GetParameters() ?? [];
            var fields = new List<MappedField>();
            var used = new HashSet<PropertyInfo>();
            foreach (ParameterInfo p in parameters)
            {
                PropertyInfo property = type.GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
                    ?? throw new ArgumentException($"{type}: constructor parameter {p.Name} has no property of the same name");
                used.Add(property);
                string name = p.GetCustomAttribute<CandidNameAttribute>()?.Name
                    ?? property.GetCustomAttribute<CandidNameAttribute>()?.Name ?? SnakeCase(property.Name);
                bool isNat = p.IsDefined(typeof(CandidNatAttribute)) || property.IsDefined(typeof(CandidNatAttribute));
                ICandidCodec codec = Build(property.PropertyType, _nullability.Create(property), isNat);
                fields.Add(new MappedField(CandidLabel.Named(name), codec, CompileGetter(type, property), p.Position, null));
            }

            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (used.Contains(property) || property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0
                    || property.IsDefined(typeof(CandidIgnoreAttribute)))
                {
                    continue;
                }

                string name = property.GetCustomAttribute<CandidNameAttribute>()?.Name ?? SnakeCase(property.Name);
                ICandidCodec codec = Build(property.PropertyType, _nullability.Create(property), property.IsDefined(typeof(CandidNatAttribute)));
                fields.Add(new MappedField(CandidLabel.Named(name), codec, CompileGetter(type, property), -1, CompileSetter(type, property)));
            }

            Func<object?[], object> construct = ctor is not null
                ? CompileConstructor(ctor)
                : Expression.Lambda<Func<object?[], object>>(Expression.Convert(Expression.New(type), typeof(object)), Expression.Parameter(typeof(object?[]))).Compile();
            return new RecordCodec(fields, construct, parameters.Length);
        }

        private EnumCodec Enum(Type type)
        {
            var cases = new List<(CandidLabel, object)>();
            foreach (FieldInfo f in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                string name = f.GetCustomAttribute<CandidNameAttribute>()?.Name ?? SnakeCase(f.Name);
                cases.Add((CandidLabel.Named(name), f.GetValue(null)!));
            }

            return new EnumCodec(cases);
        }

        private ClassVariantCodec Variant(Type type)
        {
            var cases = new List<VariantCase>();
            foreach (Type caseType in type.GetNestedTypes(BindingFlags.Public))
            {
                if (caseType.IsAbstract || !type.IsAssignableFrom(caseType))
                {
                    continue;
                }

                string name = caseType.GetCustomAttribute<CandidNameAttribute>(inherit: false)?.Name ?? SnakeCase(caseType.Name);
                PropertyInfo[] properties = caseType.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                    .Where(p => p.Name != "EqualityContract").ToArray();
                var label = CandidLabel.Named(name);
                if (properties.Length == 0)
                {
                    Func<object?[], object> make = CompileConstructor(caseType.GetConstructor(Type.EmptyTypes)
                        ?? throw new ArgumentException($"variant case {caseType} needs a parameterless constructor"));
                    var nullCodec = new DelegateCodec(CandidType.Null, _ => CandidValue.Null, _ => null!);
                    cases.Add(new VariantCase(label, caseType, nullCodec, _ => CandidValue.Null, _ => make([])));
                }
                else if (properties.Length == 1 && properties[0].Name == "Value")
                {
                    PropertyInfo p = properties[0];
                    ConstructorInfo ctor = caseType.GetConstructor([p.PropertyType])
                        ?? throw new ArgumentException($"variant case {caseType} needs a constructor taking its Value");
                    ICandidCodec payload = Build(p.PropertyType, _nullability.Create(p), p.IsDefined(typeof(CandidNatAttribute)));
                    Func<object, object?> get = CompileGetter(caseType, p);
                    Func<object?[], object> make = CompileConstructor(ctor);
                    cases.Add(new VariantCase(label, caseType, payload, o => payload.ToValue(get(o)), v => make([payload.FromValue(v)])));
                }
                else
                {
                    ICandidCodec payload = BuildNonNull(caseType, null, isNat: false);
                    cases.Add(new VariantCase(label, caseType, payload, payload.ToValue, v => payload.FromValue(v)!));
                }
            }

            return new ClassVariantCodec(cases);
        }

        private static Func<object, object?> CompileGetter(Type type, MemberInfo member)
        {
            ParameterExpression o = Expression.Parameter(typeof(object));
            Expression access = member is PropertyInfo p
                ? Expression.Property(Expression.Convert(o, type), p)
                : Expression.Field(Expression.Convert(o, type), (FieldInfo)member);
            return Expression.Lambda<Func<object, object?>>(Expression.Convert(access, typeof(object)), o).Compile();
        }

        private static Action<object, object?> CompileSetter(Type type, PropertyInfo property)
        {
            ParameterExpression o = Expression.Parameter(typeof(object));
            ParameterExpression v = Expression.Parameter(typeof(object));
            return Expression.Lambda<Action<object, object?>>(
                Expression.Assign(Expression.Property(Expression.Convert(o, type), property), Expression.Convert(v, property.PropertyType)), o, v).Compile();
        }

        private static Func<object?[], object> CompileConstructor(ConstructorInfo ctor)
        {
            ParameterExpression args = Expression.Parameter(typeof(object?[]));
            Expression[] converted = ctor.GetParameters()
                .Select((p, i) => (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType))
                .ToArray();
            return Expression.Lambda<Func<object?[], object>>(Expression.Convert(Expression.New(ctor, converted), typeof(object)), args).Compile();
        }
    }
}
