namespace InternetIdentity.TestSupport;

/// <summary>Locates files of this repository from a test's output folder (tests never read outside the repository).</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root: the folder holding InternetIdentity.sln.</summary>
    public static string Root => s_root.Value;

    /// <summary>A path under tests/vectors/.</summary>
    public static string Vector(params string[] parts) => Path.Combine([Root, "tests", "vectors", .. parts]);

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "InternetIdentity.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("InternetIdentity.sln not found above " + AppContext.BaseDirectory);
    }
}
