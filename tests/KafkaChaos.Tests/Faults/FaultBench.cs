using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Workload;
using Microsoft.Extensions.Time.Testing;

namespace KafkaChaos.Tests.Faults;

/// <summary>
/// A fault's surroundings without Docker: a <see cref="SimulatedCluster"/>, a journal in a scratch directory
/// and a fake clock that the test moves on while a fault waits, so that a minute of polling takes milliseconds.
/// </summary>
internal sealed class FaultBench : IDisposable
{
    public const string Topic = "t";
    private readonly string _directory;

    public FaultBench(string directory, int brokers = 3, int partitions = 3, int replicationFactor = 3)
    {
        _directory = directory;
        Cluster = new SimulatedCluster(brokers, partitions, replicationFactor);
        Journal = new JournalWriter(directory, Time);
        Journal.WriteRunStarted("faults", 0, new Dictionary<string, string>());
    }

    public SimulatedCluster Cluster { get; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UnixEpoch.AddDays(20000));

    public JournalWriter Journal { get; }

    public List<string> Log { get; } = [];

    public FaultContext Context(int seed = 1, IRestartableConsumers? consumers = null, IReadOnlyList<IRestartableProducer>? producers = null) =>
        new(Cluster.Access, Topic, 3, consumers, producers, new Random(seed), Journal, Time, line =>
        {
            lock (Log)
            {
                Log.Add(line);
            }
        });

    public Fault Create(FaultSpec spec, int seed = 1) => FaultKinds.Create(spec, Context(seed));

    /// <summary>
    /// Runs <paramref name="work"/> to its end, moving the clock on in quarter seconds while it waits. The
    /// simulated cluster answers at once, so all the work ever waits on is the fake clock's timers, whose
    /// continuations run inside <see cref="FakeTimeProvider.Advance"/>; yielding between steps lets anything
    /// queued run, and no step waits on real time.
    /// </summary>
    public async Task RunAsync(Func<Task> work, TimeSpan? limit = null)
    {
        var task = work();
        var moved = TimeSpan.Zero;
        while (!task.IsCompleted)
        {
            await Task.Yield();
            Time.Advance(TimeSpan.FromMilliseconds(250));
            moved += TimeSpan.FromMilliseconds(250);
            if (moved > (limit ?? TimeSpan.FromHours(1)))
            {
                throw new TimeoutException($"still running after {moved} of simulated time");
            }
        }

        await task;
    }

    /// <summary>Applies, then heals, as the nemesis does with no time held in between.</summary>
    public Task ApplyAndHealAsync(Fault fault) => RunAsync(async () =>
    {
        await fault.ApplyAsync(CancellationToken.None);
        await fault.HealAsync(CancellationToken.None);
    });

    /// <summary>The fault timeline written so far.</summary>
    public IReadOnlyList<FaultEvent> Events()
    {
        Journal.Flush();
        return JournalReader.ReadRunDirectory(_directory).History.Faults;
    }

    public void Dispose() => Journal.Dispose();
}
