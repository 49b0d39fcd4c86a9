using NUnit.Framework;

namespace KafkaChaos.Tests;

/// <summary>Base of the tests that write files: a fresh directory per test, removed after it.</summary>
public abstract class TemporaryDirectoryTest
{
    protected string TestDirectory { get; private set; } = "";

    [SetUp]
    public void CreateTestDirectory() => TestDirectory = Directory.CreateTempSubdirectory("kafka-chaos-test-").FullName;

    [TearDown]
    public void RemoveTestDirectory() => Directory.Delete(TestDirectory, recursive: true);
}
