using KafkaChaos.Experiments;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>Base of the tests that run whole experiments: a fresh runs directory per test, removed after it.</summary>
public abstract class RunDirectoryTest
{
    protected string Runs { get; private set; } = "";

    protected static ExperimentRunner Runner => new(ClusterEnvironment.Engine, TimeProvider.System, TestContext.Progress.WriteLine);

    [SetUp]
    public void CreateRunsDirectory() => Runs = Directory.CreateTempSubdirectory("kafka-chaos-runs-").FullName;

    [TearDown]
    public void RemoveRunsDirectory() => Directory.Delete(Runs, recursive: true);
}
