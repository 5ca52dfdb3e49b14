namespace InternetIdentity.Protocol.Benchmarks;

/// <summary>Reads the copied IC vectors (tests/vectors/ic) from the repository the benchmark runs in.</summary>
internal static class BenchVectors
{
    public static string Path(params string[] parts)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir, "InternetIdentity.sln")))
        {
            dir = System.IO.Path.GetDirectoryName(dir);
        }

        return System.IO.Path.Combine([dir ?? throw new InvalidOperationException("InternetIdentity.sln not found"), "tests", "vectors", "ic", .. parts]);
    }

    public static byte[] Certificate(string name) => File.ReadAllBytes(Path("certificates", name));
}
