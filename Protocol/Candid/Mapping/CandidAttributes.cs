namespace InternetIdentity.Protocol.Candid.Mapping;

/// <summary>
/// The Candid name of a property, constructor parameter, enum member or variant case class. Without it the
/// C# name in snake_case is used (<c>CredentialId</c> becomes <c>credential_id</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Class)]
public sealed class CandidNameAttribute(string name) : Attribute
{
    /// <summary>The name as it appears in the .did file.</summary>
    public string Name { get; } = name;
}

/// <summary>Marks a <see cref="System.Numerics.BigInteger"/> property as <c>nat</c> (without it, <c>int</c>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class CandidNatAttribute : Attribute
{
}

/// <summary>
/// Marks an abstract class as a Candid variant. Its cases are the non-abstract classes nested in it that derive
/// from it. A case without properties has payload <c>null</c>; a case whose only property is named <c>Value</c>
/// has that property's type as payload; any other case has a record payload of its properties.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CandidVariantAttribute : Attribute
{
}

/// <summary>Leaves a settable property out of the Candid record.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CandidIgnoreAttribute : Attribute
{
}
