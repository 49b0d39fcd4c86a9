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
            "run", "--image", ClusterEnvironment.Image, "--runs-dir", Runs, "--messages", "5000", "--rate", "1000", "--fault", "none", "--commit", "process-then-commit-sync");
        var output = run.StandardOutput.ReadToEndAsync();
        var error = run.StandardError.ReadToEndAsync();

        // The kernel's own word on which librdkafka the process mapped, read once its first client loaded one.
        var mapped = new List<string>();
        while (!run.HasExited && mapped.Count == 0)
        {
            try
            {
                mapped = File.ReadAllLines($"/proc/{run.Id}/maps").Where(l => l.Contains("librdkafka", StringComparison.Ordinal))
                    .Select(l => l[l.IndexOf('/', StringComparison.Ordinal)..]).Distinct().ToList();
            }
            catch (IOException)
            {
                // it exited between the check and the read
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5), TimeProvider.System);

        Assert.That(run.ExitCode, Is.EqualTo(0), await error);
        Assert.That(mapped, Has.Count.EqualTo(1), "one librdkafka mapped into the process");
        Assert.That(mapped[0], Does.Not.StartWith(older!).And.StartWith(Path.Combine(KafkaChaos.Tests.RepositoryPaths.Root(), "src/KafkaChaos.Cli/bin/Release/net10.0/runtimes")),
            "the library the tool ships, not the one first on LD_LIBRARY_PATH");
        var journal = JournalReader.ReadRunDirectory(Path.Combine(ClusterEnvironment.RunDirectoryIn(Runs), "cells", "001"));
        Assert.That(journal.EndStatus, Is.EqualTo(RunStatus.Completed));
        Assert.That(journal.History.FinalRead.Count(), Is.EqualTo(5000), "the consumers and the final reader ran on the bundled library");
        Assert.That(await output, Does.Contain("lost"));
    }
}
