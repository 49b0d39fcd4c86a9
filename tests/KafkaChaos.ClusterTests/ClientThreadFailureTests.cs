using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// A client thread that throws mid-workload, for a reason the tool cannot foresee. The clock every client
/// thread reads is the injection point: a <see cref="TimeProvider"/> that breaks on the named thread after
/// a few seconds. The process must not end: the cell fails with the cause, in results.json and in the
/// journal's end line, what was journalled before still has its verdict, and the cluster is removed.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class ClientThreadFailureTests : RunDirectoryTest
{
    [TestCase("consumer ")]
    [TestCase("producer-lane")]
    public async Task ClientThreadThrows_FailsTheCellWithItsCause_KeepsTheJournal_AndRemovesTheCluster(string threadName)
    {
        var clock = new BreakingClock(threadName, TimeSpan.FromSeconds(3));
        var runner = new ExperimentRunner(ClusterEnvironment.Engine, clock, TestContext.Progress.WriteLine);
        var spec = ExperimentSpec.Default with
        {
            Messages = 20_000,
            RatePerSecond = 1_000,
            Faults = [new FaultSpec { Kind = FaultKinds.KillLeader, Partition = 0, When = new FaultTrigger(TimeSpan.FromSeconds(8)), Duration = TimeSpan.FromSeconds(3) }],
        };

        var failure = await Assert.ThrowsAsync<InfrastructureException>(() => runner.RunAsync(spec, ClusterEnvironment.Image, ClusterEnvironment.Version, Runs, CancellationToken.None));

        Assert.That(clock.Broke, Is.True, "the injected failure happened");
        Assert.That(failure!.Message, Does.Contain(BreakingClock.Message).And.Contain("run directory"), "the one line the CLI prints before exit 3");
        var runDirectory = ClusterEnvironment.RunDirectoryIn(Runs);
        var results = ResultsJson.Read(runDirectory)!;
        var cell = results.Cells.Single();
        Assert.That(results.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(cell.Status, Is.EqualTo(RunStatus.Failed));
        Assert.That(cell.Reason, Does.Contain(BreakingClock.Message));
        var journal = JournalReader.ReadRunDirectory(runDirectory);
        Assert.That(journal.EndStatus, Is.EqualTo(RunStatus.Failed));
        Assert.That(journal.EndCause, Does.Contain(BreakingClock.Message), "the journal says why");
        Assert.That(cell.Counts.Sent, Is.GreaterThan(0), "what was journalled before the failure is kept and judged");
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    /// <summary>The system clock, until a thread whose name starts with the given one reads it <paramref name="after"/> its first read.</summary>
    private sealed class BreakingClock(string threadName, TimeSpan after) : TimeProvider
    {
        public const string Message = "injected: this client thread's clock broke";

        private long _firstRead;
        private volatile bool _broke;

        public bool Broke => _broke;

        public override DateTimeOffset GetUtcNow()
        {
            Check();
            return System.GetUtcNow();
        }

        public override long GetTimestamp()
        {
            Check();
            return System.GetTimestamp();
        }

        public override long TimestampFrequency => System.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(callback, state, dueTime, period);

        private void Check()
        {
            if (_broke || Thread.CurrentThread.Name?.StartsWith(threadName, StringComparison.Ordinal) != true)
            {
                return;
            }

            Interlocked.CompareExchange(ref _firstRead, System.GetTimestamp(), 0);
            if (System.GetElapsedTime(Interlocked.Read(ref _firstRead)) > after)
            {
                _broke = true;
                throw new InvalidOperationException(Message);
            }
        }
    }
}
