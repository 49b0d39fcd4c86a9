using KafkaChaos.Journal;
using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// The harness consumer: the real verifying <see cref="ConsumerGroup"/> (one instance, auto-commit),
/// decoding and checking every envelope of the bench's harness producers and journalling it to disk.
/// </summary>
internal sealed class HarnessBenchConsumer : BenchConsumer
{
    private readonly ScratchJournal? _journal;
    private readonly ConsumerGroup _group;
    private bool _disposed;

    /// <summary>Journalling to a scratch journal of its own, deleted with it.</summary>
    public HarnessBenchConsumer(IReadOnlyDictionary<string, string> config, string topic, Guid runId, string scratch, TimeProvider time)
    {
        _journal = new ScratchJournal(scratch, time);
        _group = new ConsumerGroup(runId, topic, new ConsumerSpec(), config, _journal.Directory, _journal.Writer, time, _ => { });
    }

    /// <summary>Journalling to a run's journal, which the caller keeps and verifies.</summary>
    public HarnessBenchConsumer(IReadOnlyDictionary<string, string> config, string topic, Guid runId, string runDirectory, JournalWriter journal, TimeProvider time)
    {
        _group = new ConsumerGroup(runId, topic, new ConsumerSpec(), config, runDirectory, journal, time, _ => { });
    }

    public override long Records => _group.Progress.Records;

    public override void Start() => _group.Start();

    public override bool HasReached(IReadOnlyDictionary<int, long> ends) => _group.Progress.HasReached(ends);

    public override LatencySummary EndToEnd() => _group.EndToEnd().Summarize();

    public override void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _group.Dispose();
        _journal?.Dispose();
    }
}
