using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace InternetIdentity.Architecture.Tests;

/// <summary>DESIGN.md: the pure core owns no clock, randomness, threads, sockets or files, and references no Akka or ASP.NET.</summary>
public class PureCoreTests
{
    private static readonly string[] s_pureCore =
    [
        "InternetIdentity.ThresholdSigning",
        "InternetIdentity.Protocol",
        "InternetIdentity.Consensus",
        "InternetIdentity.IdentityCanister",
    ];

    private static readonly string[] s_forbiddenAssemblyPrefixes =
    [
        "Akka", "Microsoft.AspNetCore", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
        "Microsoft.Data.Sqlite", "Npgsql", "System.Net.Http", "System.Net.Sockets",
    ];

    // (declaring type, member) pairs the compiled IL may not reference; "*" bans every member of the type.
    internal static readonly (string Type, string Member)[] BannedMembers =
    [
        ("System.DateTime", "get_Now"), ("System.DateTime", "get_UtcNow"), ("System.DateTime", "get_Today"),
        ("System.DateTimeOffset", "get_Now"), ("System.DateTimeOffset", "get_UtcNow"),
        ("System.Environment", "*"), ("System.Guid", "NewGuid"),
        ("System.Random", "*"), ("System.Security.Cryptography.RandomNumberGenerator", "*"),
        ("System.Diagnostics.Stopwatch", "*"), ("System.TimeProvider", "*"),
        ("System.Threading.Thread", "*"), ("System.Threading.ThreadPool", "*"), ("System.Threading.Timer", "*"),
        ("System.Threading.Tasks.Task", "*"), ("System.Threading.Tasks.Parallel", "*"),
        ("System.IO.File", "*"), ("System.IO.FileStream", "*"), ("System.IO.Directory", "*"),
        ("System.Console", "*"),
    ];

    private static IEnumerable<string> PureCoreAssemblyPaths()
    {
        string dir = AppContext.BaseDirectory;
        foreach (string name in s_pureCore)
        {
            string path = Path.Combine(dir, name + ".dll");
            if (File.Exists(path))
            {
                yield return path;
            }
        }
    }

    [Test]
    public void PureCore_Assemblies_ArePresent()
    {
        // All four pure-core libraries must be found, or the other tests would pass vacuously.
        Assert.That(PureCoreAssemblyPaths().Count(), Is.EqualTo(4));
    }

    [Test]
    public void PureCore_References_NoHostOrIoAssemblies()
    {
        foreach (string path in PureCoreAssemblyPaths())
        {
            AssemblyName[] references = Assembly.LoadFrom(path).GetReferencedAssemblies();
            foreach (AssemblyName reference in references)
            {
                string name = reference.Name ?? "";
                Assert.That(s_forbiddenAssemblyPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)), Is.False,
                    $"{Path.GetFileName(path)} references {name}");
            }
        }
    }

    [Test]
    public void PureCore_Il_CallsNoBannedApi()
    {
        foreach (string path in PureCoreAssemblyPaths())
        {
            List<string> hits = BannedReferences(path);
            Assert.That(hits, Is.Empty, $"{Path.GetFileName(path)} uses banned APIs");
        }
    }

    [Test]
    public void PureCore_Assemblies_CarryPureCoreMarker()
    {
        // The marker is added by Directory.Build.targets only where the BannedApiAnalyzers run.
        foreach (string path in PureCoreAssemblyPaths())
        {
            var marker = Assembly.LoadFrom(path).GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "PureCore");
            Assert.That(marker?.Value, Is.EqualTo("true"), Path.GetFileName(path));
        }
    }

    [Test]
    public void CanisterRuntime_IsDeterministicLikeThePureCore()
    {
        // CanisterRuntime hosts Wasmtime, so it is not in the pure core, but it owns no clock, randomness, threads or I/O.
        string path = Path.Combine(AppContext.BaseDirectory, "InternetIdentity.CanisterRuntime.dll");
        Assert.That(BannedReferences(path), Is.Empty);
        Assert.That(Assembly.LoadFrom(path).GetReferencedAssemblies().Select(a => a.Name ?? ""),
            Has.None.Matches<string>(n => s_forbiddenAssemblyPrefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal))));
        var marker = Assembly.LoadFrom(path).GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "PureCore");
        Assert.That(marker?.Value, Is.EqualTo("true"), "the BannedApiAnalyzers run on it");
    }

    [Test]
    public void BannedReferences_AssemblyUsingClock_IsDetected()
    {
        // This test assembly itself reads files and the clock, so the scanner must flag it: the check can fail.
        List<string> hits = BannedReferences(typeof(PureCoreTests).Assembly.Location);
        Assert.That(hits, Has.Some.Contains("System.IO.File"));
        Assert.That(hits, Has.Some.Contains("System.DateTime::get_UtcNow"));
    }

    internal static DateTime ClockProbe() => DateTime.UtcNow;

    internal static List<string> BannedReferences(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        MetadataReader md = pe.GetMetadataReader();
        var hits = new List<string>();
        foreach (MemberReferenceHandle handle in md.MemberReferences)
        {
            MemberReference member = md.GetMemberReference(handle);
            string? type = TypeName(md, member.Parent);
            if (type is null)
            {
                continue;
            }

            string memberName = md.GetString(member.Name);
            if (BannedMembers.Any(b => b.Type == type && (b.Member == "*" || b.Member == memberName)))
            {
                hits.Add($"{type}::{memberName}");
            }
        }

        return hits;
    }

    private static string? TypeName(MetadataReader md, EntityHandle parent)
    {
        if (parent.Kind == HandleKind.TypeReference)
        {
            TypeReference tr = md.GetTypeReference((TypeReferenceHandle)parent);
            string ns = md.GetString(tr.Namespace);
            return ns.Length == 0 ? md.GetString(tr.Name) : ns + "." + md.GetString(tr.Name);
        }

        if (parent.Kind == HandleKind.TypeSpecification)
        {
            return null; // generic instantiations: none of the banned types is generic
        }

        return null;
    }
}
