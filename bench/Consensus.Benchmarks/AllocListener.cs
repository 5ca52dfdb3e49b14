using System.Diagnostics.Tracing;

namespace InternetIdentity.Consensus.Benchmarks;

/// <summary>
/// `allocs ...` (the figures arguments): counts the runtime's allocation ticks (one per ~100 KB allocated) by type, so
/// the types that make up the bytes allocated per height can be named without a profiler.
/// </summary>
internal sealed class AllocListener : EventListener
{
    /// <summary>Ticks seen per allocated type name.</summary>
    public static readonly Dictionary<string, long> Counts = [];

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName?.StartsWith("GCAllocationTick") == true && e.Payload is { } p)
        {
            int i = e.PayloadNames!.IndexOf("TypeName");
            string t = p[i]?.ToString() ?? "?";
            // AllocationKind 1 is the large object heap, whose budget triggers gen2 collections of its own.
            int k = e.PayloadNames.IndexOf("AllocationKind");
            if (k >= 0 && Convert.ToInt32(p[k], System.Globalization.CultureInfo.InvariantCulture) == 1)
            {
                t = "(large object heap) " + t;
            }
            lock (Counts)
            {
                Counts[t] = Counts.GetValueOrDefault(t) + 1;
            }
        }
    }

    /// <summary>Prints the 40 types with the most ticks, as shares of all ticks, to stderr.</summary>
    public static void Dump()
    {
        lock (Counts)
        {
            long total = Counts.Values.Sum();
            foreach (var kv in Counts.OrderByDescending(k => k.Value).Take(40))
            {
                Console.Error.WriteLine($"{kv.Value * 100.0 / total,6:F2}% {kv.Key}");
            }
        }
    }
}
