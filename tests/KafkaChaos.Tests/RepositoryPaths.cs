using NUnit.Framework;

namespace KafkaChaos.Tests;

/// <summary>Where the repository is, for tests that read the files it ships or run the binary it builds (both test projects compile this file).</summary>
internal static class RepositoryPaths
{
    public static string Root()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KafkaChaos.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
