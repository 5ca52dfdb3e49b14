namespace InternetIdentity.Protocol.Candid.Text;

/// <summary>
/// A parsed .did file: its type definitions and its service, with the init arguments of a service class
/// (<c>service : (init : record { ... }) -&gt; { ... }</c>), which is what <c>install_code</c>'s argument must fit.
/// </summary>
/// <param name="Definitions">The named types.</param>
/// <param name="InitArgs">The service class's argument types, or null when the service takes none (not a class).</param>
/// <param name="Service">The service's methods, or null when the file declares no service (or names it by a type).</param>
public sealed record CandidServiceDefinition(IReadOnlyDictionary<string, CandidType> Definitions, IReadOnlyList<CandidType>? InitArgs, CandidServiceType? Service)
{
    /// <summary>Parses a .did file (<c>type</c> definitions, then an optional <c>service</c>; <c>import</c> is not supported).</summary>
    /// <exception cref="CandidTextException">malformed text; the message names the position.</exception>
    public static CandidServiceDefinition Parse(string did)
    {
        var reader = new CandidTextReader(did);
        while (reader.TryReadDefinition())
        {
        }

        if (reader.TryKeyword("import"))
        {
            throw reader.Error("imports are not supported: inline the imported definitions");
        }

        IReadOnlyList<CandidType>? initArgs = null;
        CandidType? service = null;
        if (reader.TryKeyword("service"))
        {
            if (!reader.TrySymbol(":"))
            {
                reader.ReadName(); // the service's name
                reader.ExpectSymbol(":");
            }

            if (reader.AtSymbol("("))
            {
                initArgs = reader.ReadTypeSequence();
                reader.ExpectSymbol("->");
            }

            service = reader.AtSymbol("{") ? reader.ReadServiceBody() : reader.ReadType();
            reader.TrySymbol(";");
        }

        reader.ExpectEnd();
        reader.CheckDefinitions();
        CandidServiceType? methods = service?.Resolve() as CandidServiceType;
        if (service is not null && methods is null)
        {
            throw reader.Error($"the service's type is {CandidTextWriter.TypeToString(service)}, not a service");
        }

        return new CandidServiceDefinition(reader.Definitions, initArgs, methods);
    }
}
