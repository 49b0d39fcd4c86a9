using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// Base of the tests that run the kafka-chaos binary on an experiment file: a fresh folder per test
/// holding the file (and whatever the test puts beside it), removed after it.
/// </summary>
public abstract class CliExperimentTest
{
    /// <summary>The experiment file's text.</summary>
    protected abstract string ExperimentText { get; }

    protected string Folder { get; private set; } = "";

    protected string ExperimentPath { get; private set; } = "";

    [SetUp]
    public void WriteExperiment()
    {
        Folder = Directory.CreateTempSubdirectory("kafka-chaos-cli-").FullName;
        ExperimentPath = Path.Combine(Folder, "experiment.yaml");
        File.WriteAllText(ExperimentPath, ExperimentText);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(Folder, recursive: true);
}
