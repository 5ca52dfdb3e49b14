using System.Diagnostics;
using System.Globalization;

namespace InternetIdentity.SubnetLoad;

/// <summary>
/// Process CPU time of the subnet (<c>/proc/PID/stat</c> utime + stime of <c>iinet up</c>) and of this load tool, read
/// at the start and end of a phase: CPU per completed operation is a figure that a shared, noisy machine does not halve
/// the way it halves wall-clock rates.
/// </summary>
internal sealed class CpuMeter(int? subnetPid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on Linux

    /// <summary>Both processes' CPU time now (subnet NaN without a pid or /proc).</summary>
    public CpuSample Sample() => new(SubnetSeconds(), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);

    private double SubnetSeconds()
    {
        if (subnetPid is not int pid)
        {
            return double.NaN;
        }

        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the parenthesised command name (which may contain spaces): state is field 3, utime 14, stime 15.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}

/// <summary>CPU seconds of the subnet process and of the load tool at one moment.</summary>
internal readonly record struct CpuSample(double SubnetSeconds, double LoadSeconds);

/// <summary>CPU spent in a phase: by the subnet and by the load tool, in seconds.</summary>
internal readonly record struct CpuSpent(double SubnetSeconds, double LoadSeconds)
{
    public static CpuSpent Between(CpuSample start, CpuSample end) =>
        new(end.SubnetSeconds - start.SubnetSeconds, end.LoadSeconds - start.LoadSeconds);

    /// <summary>Microseconds of subnet CPU per operation (NaN without the subnet's pid).</summary>
    public double SubnetMicrosPer(int operations) => operations == 0 ? double.NaN : SubnetSeconds * 1e6 / operations;

    /// <summary>Microseconds of load-tool CPU per operation.</summary>
    public double LoadMicrosPer(int operations) => operations == 0 ? double.NaN : LoadSeconds * 1e6 / operations;
}
