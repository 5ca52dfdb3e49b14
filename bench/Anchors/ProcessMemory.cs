using System.Globalization;

namespace InternetIdentity.Anchors;

/// <summary>The process's memory as Linux and the GC see it.</summary>
internal readonly record struct ProcessMemory(long RssBytes, long PeakRssBytes, long GcHeapBytes, long GcCommittedBytes)
{
    /// <summary>Now; with <paramref name="collect"/>, after a full blocking, compacting collection (live bytes only).</summary>
    public static ProcessMemory Now(bool collect = false)
    {
        if (collect)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        GCMemoryInfo info = GC.GetGCMemoryInfo(GCKind.Any);
        return new ProcessMemory(Status("VmRSS"), Status("VmHWM"), GC.GetTotalMemory(false), info.TotalCommittedBytes);
    }

    /// <summary>A field of /proc/self/status in bytes (0 where there is none, e.g. not Linux).</summary>
    private static long Status(string field)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    string kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>For progress lines.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"rss {Mib(RssBytes)} MiB (peak {Mib(PeakRssBytes)}), gc heap {Mib(GcHeapBytes)} MiB, committed {Mib(GcCommittedBytes)} MiB");

    /// <summary>Bytes in MiB.</summary>
    public static long Mib(long bytes) => bytes / (1024 * 1024);
}
