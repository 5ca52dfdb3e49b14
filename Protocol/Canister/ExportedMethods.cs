using System.Collections.Frozen;

namespace InternetIdentity.Protocol.Canister;

/// <summary>
/// The methods a canister exports, as a Wasm module's <c>canister_update &lt;name&gt;</c> and
/// <c>canister_query &lt;name&gt;</c> exports say them. The replica refuses an update call to a method that is not
/// exported before it enters the ingress pool (the IC's ingress filter), and answers a query to one with a reject.
/// </summary>
public sealed class ExportedMethods
{
    /// <summary>Declares the update and the query methods.</summary>
    /// <exception cref="ArgumentException">a name is exported both as update and as query.</exception>
    public ExportedMethods(IEnumerable<string> updates, IEnumerable<string> queries)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(queries);
        Updates = updates.ToFrozenSet(StringComparer.Ordinal);
        Queries = queries.ToFrozenSet(StringComparer.Ordinal);
        string? both = Updates.FirstOrDefault(Queries.Contains);
        if (both is not null)
        {
            throw new ArgumentException($"method '{both}' is exported both as update and as query", nameof(queries));
        }
    }

    /// <summary>The update methods (<c>canister_update &lt;name&gt;</c>).</summary>
    public IReadOnlySet<string> Updates { get; }

    /// <summary>The query methods (<c>canister_query &lt;name&gt;</c>).</summary>
    public IReadOnlySet<string> Queries { get; }

    /// <summary>Whether an update call (ingress) may name <paramref name="method"/>: only exported update methods.</summary>
    public bool AcceptsUpdateCall(string method) => Updates.Contains(method);

    /// <summary>
    /// Whether a query call may name <paramref name="method"/>: a query method, or an update method, which the IC runs
    /// in query mode with its state changes discarded.
    /// </summary>
    public bool AcceptsQueryCall(string method) => Queries.Contains(method) || Updates.Contains(method);
}
