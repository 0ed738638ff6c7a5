namespace CityTwin.Tests.Support;

/// <summary>The reference data shipped beside the repository (<c>../shared/data</c>).</summary>
public static class SharedData
{
    public static string Root { get; } = Find();

    public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate) && File.Exists(System.IO.Path.Combine(candidate, "README.md")))
            {
                return candidate;
            }
        }

        foreach (var fallback in new[] { Environment.GetEnvironmentVariable("CITYTWIN_SHARED_DATA"), "/work/shared/data" })
        {
            if (fallback is not null && File.Exists(System.IO.Path.Combine(fallback, "README.md")))
            {
                return fallback;
            }
        }

        throw new DirectoryNotFoundException("../shared/data was not found above the test binaries (set CITYTWIN_SHARED_DATA).");
    }
}
