using System.Diagnostics.Tracing;

namespace InternetIdentity.Consensus.Benchmarks;

internal sealed class AllocListener : EventListener
{
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
            lock (Counts)
            {
                Counts[t] = Counts.GetValueOrDefault(t) + 1;
            }
        }
    }

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
