using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// Another librdkafka on the library path (Debian's 2.0.2, which <c>apt-get install kcat</c> brings) once
/// aborted every run mid-workload. The tool loads the one it ships by its full path, so a run with the
/// other first on LD_LIBRARY_PATH completes like any other.
/// </summary>
[Category("Cluster")]
public class OtherLibrdkafkaTests : RunDirectoryTest
{
    [Test]
    public async Task Run_WithAnOlderLibrdkafkaFirstOnTheLibraryPath_UsesTheBundledOneAndCompletes()
    {
        var older = Environment.GetEnvironmentVariable("KAFKA_CHAOS_TEST_OLD_LIBRDKAFKA");
        Assert.That(older is not null && File.Exists(Path.Combine(older, "librdkafka.so.1")), Is.True,
            "scripts/run-tests.sh unpacks Debian's librdkafka1 into .cache/librdkafka1 and sets KAFKA_CHAOS_TEST_OLD_LIBRDKAFKA");

        using var run = CliProcess.Start(new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = older! },
            "run", "--image", ClusterEnvironment.Image, "--runs-dir", Runs, "--messages", "3000", "--rate", "1000", "--fault", "none", "--commit", "process-then-commit-sync");
        var output = run.StandardOutput.ReadToEndAsync();
        var error = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5), TimeProvider.System);

        Assert.That(run.ExitCode, Is.EqualTo(0), await error);
        var journal = JournalReader.ReadRunDirectory(Path.Combine(ClusterEnvironment.RunDirectoryIn(Runs), "cells", "001"));
        Assert.That(journal.EndStatus, Is.EqualTo(RunStatus.Completed));
        Assert.That(journal.History.FinalRead.Count(), Is.EqualTo(3000), "the consumers and the final reader ran on the bundled library");
        Assert.That(await output, Does.Contain("lost"));
    }
}
