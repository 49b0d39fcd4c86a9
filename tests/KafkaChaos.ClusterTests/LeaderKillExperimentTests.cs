using KafkaChaos.Experiments;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// A run cut short on a real 3-broker cluster. (The whole kill-leader run, held to a plain read of its
/// topic, is in <see cref="FinalLogRecountTests"/>.)
/// </summary>
[Category("Cluster")]
public class LeaderKillExperimentTests : RunDirectoryTest
{
    [Test]
    public async Task RunAsync_CancelledMidProduce_TearsDownAndKeepsAnInterruptedJournal()
    {
        var spec = ExperimentSpec.Default with { Messages = 100_000, RatePerSecond = 2_000 };
        var runner = Runner;
        using var interrupt = new CancellationTokenSource();
        var run = runner.RunAsync(spec, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, interrupt.Token);
        while (!Directory.EnumerateFiles(Runs, JournalWriter.ProducedFileName, SearchOption.AllDirectories).Any(f => new FileInfo(f).Length > 0))
        {
            Assert.That(run.IsCompleted, Is.False, "the run ended before it produced anything");
            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }

        await interrupt.CancelAsync();

        await Assert.CatchAsync<OperationCanceledException>(async () => await run);
        var runDirectory = ClusterEnvironment.RunDirectoryIn(Runs);
        var journal = JournalReader.ReadRunDirectory(runDirectory);
        Assert.That(journal.EndStatus, Is.EqualTo(RunStatus.Interrupted));
        Assert.That(journal.History.Produced, Is.Not.Empty);
        Assert.That(ResultsJson.Read(runDirectory)!.Status, Is.EqualTo(RunStatus.Interrupted));
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }
}
