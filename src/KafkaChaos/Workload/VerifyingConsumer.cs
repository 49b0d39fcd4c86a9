using Confluent.Kafka;
using KafkaChaos.Journal;

namespace KafkaChaos.Workload;

/// <summary>
/// One consumer instance of the verifying group: polls in batches, processes each record (a timed step,
/// then a journal entry), and commits as its <see cref="CommitStrategy"/> says. It can be told to crash
/// at a <see cref="CrashPoint"/>: the client is then disposed without Close, so it neither commits nor
/// leaves the group, exactly as if its process had died.
/// </summary>
/// <remarks>Runs its poll loop on a thread of its own; the journal and dedup store are thread-safe.</remarks>
public sealed class VerifyingConsumer : IDisposable
{
    /// <summary>How long a stop waits for the poll loop before it leaves the client to the process's exit.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly IConsumer<Ignore, MessageEnvelope?> _consumer;
    private readonly ConsumerSpec _spec;
    private readonly ConsumedJournal _journal;
    private readonly DedupStore? _dedup;
    private readonly ConsumerProgress _progress;
    private readonly TimeProvider _time;
    private readonly Action<string> _clientLog;
    private readonly string _topic;
    private readonly CancellationTokenSource _stop = new();
    private readonly CrashInjection _crash = new();
    private readonly CommitPolicy _commits;
    private readonly WorkerQueue? _worker;
    private readonly List<ConsumeResult<Ignore, MessageEnvelope?>> _batch = [];

    /// <summary>
    /// Assignment changes the client reported during the current batch, each at the batch position it
    /// came at, journalled in that order among the batch's records.
    /// </summary>
    private readonly List<(int BatchIndex, ConsumeKind Kind, int Partition)> _assignmentChanges = [];
    private int _journalledChanges;
    private int _assigned;
    private Thread? _thread;
    private Exception? _failure;
    private bool _disposed;

    public VerifyingConsumer(int id, Guid runId, string topic, ConsumerSpec spec, IReadOnlyDictionary<string, string> config,
        JournalWriter journal, DedupStore? dedup, ConsumerProgress progress, TimeProvider time, Action<string> clientLog, IConsumerClientFactory? clients = null)
    {
        Id = id;
        Name = ClientNames.Consumer(id);
        _topic = topic;
        _spec = spec;
        _journal = new ConsumedJournal(id, runId, journal, time);
        _dedup = dedup;
        _progress = progress;
        _time = time;
        _clientLog = clientLog;
        _consumer = (clients ?? LibrdkafkaConsumerFactory.Instance).Create(config, new ConsumerCallbacks(
            m => clientLog($"{Name} {m.Level} {m.Facility}: {m.Message}"),
            e => clientLog($"{Name} error {e.Code}: {e.Reason}"),
            partitions => AssignmentChanged(ConsumeKind.Assigned, partitions),
            partitions => AssignmentChanged(ConsumeKind.Revoked, partitions)));
        _commits = new CommitPolicy(_consumer, topic, spec, Name, clientLog, time, _stop.Token);
        _worker = spec.WorkerQueue ? new WorkerQueue(Name, spec.ProcessingTime, time, _journal, r => Process(r, -1, sleep: false), e => _failure = e) : null;
    }

    public int Id { get; }
    public string Name { get; }
    public Exception? Failure => _failure;
    public bool HasCrashed => _crash.HasCrashed;

    /// <summary>Intended send time to processed; read only after the instance has stopped.</summary>
    public LatencyRecorder EndToEnd { get; } = new();

    /// <summary>How many of the topic's partitions this instance holds now.</summary>
    public int AssignedPartitions => Volatile.Read(ref _assigned);

    public void Start()
    {
        _consumer.Subscribe(_topic);
        // The worker first: a poll loop that crashes at once joins it, which it cannot before it has started.
        _worker?.Start();
        _thread = new Thread(Loop) { IsBackground = true, Name = $"consumer {Name}" };
        _thread.Start();
    }

    /// <summary>Kills this instance at the next <paramref name="point"/> of its cycle.</summary>
    /// <returns>Completes with what the crash cut short, once the instance is dead.</returns>
    public Task<string> CrashAsync(CrashPoint point) => _crash.Request(point);

    /// <summary>Withdraws a crash request that was never reached, so that a later request starts clean.</summary>
    public void CancelCrash() => _crash.Cancel();

    /// <summary>
    /// The group's committed offsets for the topic's partitions, read from the coordinator; empty when the
    /// coordinator cannot answer now (it moved with a leader kill: "not coordinator"), so the caller asks again.
    /// </summary>
    public IReadOnlyDictionary<int, long> CommittedOffsets(int partitions)
    {
        try
        {
            var committed = _consumer.Committed(
                Enumerable.Range(0, partitions).Select(p => new TopicPartition(_topic, p)), TimeSpan.FromSeconds(10));
            return committed.ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            _clientLog($"{Name} committed offsets not available now, asking again: {e.Error.Code}: {e.Message}");
            return new Dictionary<int, long>();
        }
    }

    /// <summary>The current end offset of each partition, read from the partition leaders.</summary>
    public IReadOnlyDictionary<int, long> EndOffsets(int partitions, CancellationToken cancellationToken) =>
        PartitionEnds.ReadAll(_consumer, _topic, partitions, _time, _clientLog, cancellationToken);

    private void Loop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (PollBatch())
                {
                    HandleBatch();
                }
            }
        }
        catch (CrashInjection.Kill crash)
        {
            _worker?.Stop(abandonQueued: true);
            _consumer.Dispose();
            _crash.Crashed(crash.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever broke (the client, the native library, the tool), it fails the cell, which the
            // group reports when it next looks: an exception escaping this thread would end the process.
            _failure = e;
        }
    }

    /// <summary>One batch through the strategy's cycle, with a crash point wherever the strategy has one.</summary>
    private void HandleBatch()
    {
        if (_commits.BeforeProcessing(_batch))
        {
            CrashIfRequested(CrashPoint.AfterCommit, 0, "committed a batch, processed none of it");
        }

        for (var i = 0; i < _batch.Count; i++)
        {
            if (_commits.CommitsInBackground && _crash.IsRequested(CrashPoint.AfterCommit))
            {
                _commits.WaitForAutoCommitPast(_batch[i]);
                CrashIfRequested(CrashPoint.AfterCommit, i, "a background commit passed a record still being processed");
            }

            JournalAssignmentChanges(upTo: i);
            if (_worker is not null)
            {
                _worker.HandOver(_batch[i]); // counted done at hand-over
            }
            else
            {
                Process(_batch[i], i);
            }
        }

        JournalAssignmentChanges(upTo: int.MaxValue);
        CrashIfRequested(CrashPoint.BetweenProcessAndCommit, _batch.Count, "processed a batch, committed none of it");
        if (_commits.AfterProcessing(_batch))
        {
            CrashIfRequested(CrashPoint.AfterCommit, _batch.Count, "committed a processed batch");
        }
    }

    /// <returns>True when at least one record arrived.</returns>
    /// <remarks>
    /// An error that is not fatal (an offset query or fetch that met a partition whose leadership is
    /// moving: "unknown topic or partition", "not leader") is the client reporting what it retries on
    /// its own: it is logged and polling goes on. Records already taken stay in the batch.
    /// </remarks>
    private bool PollBatch()
    {
        JournalAssignmentChanges(upTo: int.MaxValue);
        _assignmentChanges.Clear();
        _journalledChanges = 0;
        _batch.Clear();
        while (_batch.Count < _spec.BatchSize)
        {
            ConsumeResult<Ignore, MessageEnvelope?>? next;
            try
            {
                next = _consumer.Consume(_batch.Count == 0 ? TimeSpan.FromMilliseconds(100) : TimeSpan.Zero);
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                _clientLog($"{Name} consume error, the client retries: {e.Error.Code}: {e.Error.Reason}");
                break;
            }

            if (next?.Message is null)
            {
                break;
            }

            _batch.Add(next);
        }

        return _batch.Count > 0;
    }

    private void Process(ConsumeResult<Ignore, MessageEnvelope?> result, int indexInBatch, bool sleep = true)
    {
        var partition = result.Partition.Value;
        var offset = result.Offset.Value;
        if (!_journal.TryRead(result, out var envelope))
        {
            _progress.Reached(partition, offset, _journal.Unreadable(partition, offset));
            return;
        }

        var kind = ConsumeKind.Processed;
        if (_dedup is not null && _dedup.Contains(envelope.ProducerId, envelope.Sequence))
        {
            kind = ConsumeKind.DuplicateSkipped;
        }
        else
        {
            if (sleep && _spec.ProcessingTime > TimeSpan.Zero)
            {
                _time.Sleep(_spec.ProcessingTime);
            }

            if (!_spec.DedupMarkAfterProcessing)
            {
                _dedup?.Add(envelope.ProducerId, envelope.Sequence); // with the processing, in one step: no crash falls between
            }
        }

        // One clock read serves both the journal and the latency: a read costs about 35 ns on a VM, 2% of
        // the consumer thread at 600,000 records/s.
        var nowMicros = _time.Micros();
        var nowMillis = nowMicros / 1000;
        _journal.Handled(envelope, partition, offset, nowMillis, kind);
        EndToEnd.Record(nowMicros - envelope.IntendedSendMicros);
        _progress.Reached(partition, offset, nowMillis);
        if (kind != ConsumeKind.Processed || _worker is not null)
        {
            return;
        }

        if (_dedup is not null && _spec.DedupMarkAfterProcessing)
        {
            CrashIfRequested(CrashPoint.BetweenProcessAndMark, indexInBatch + 1, "processed a record, not yet marked in the dedup store");
            _dedup.Add(envelope.ProducerId, envelope.Sequence);
        }
        else
        {
            CrashIfRequested(CrashPoint.BetweenProcessAndMark, indexInBatch + 1,
                _dedup is null ? "processed a record mid-batch" : "processed a record and marked it in the same step");
        }
    }

    private void CrashIfRequested(CrashPoint point, int processedInBatch, string what)
    {
        if (!_crash.IsRequested(point))
        {
            return;
        }

        // What was handed over but not processed is journalled as abandoned: evidence, not consumption.
        for (var i = processedInBatch; i < _batch.Count; i++)
        {
            JournalAssignmentChanges(upTo: i);
            _journal.Abandoned(_batch[i]);
        }

        JournalAssignmentChanges(upTo: int.MaxValue);
        var queued = _worker is { } worker ? $"; {worker.Count} handed to the worker and not yet processed" : "";
        var named = point == CrashPoint.BetweenProcessAndMark ? processedInBatch - 1 : processedInBatch; // the record just processed
        var first = _batch.Count > 0 ? _batch[Math.Clamp(named, 0, _batch.Count - 1)] : null;
        var at = first is null ? "" : $" at partition {first.Partition.Value} offset {first.Offset.Value}";
        throw new CrashInjection.Kill($"{Name} killed {EnumNames<CrashPoint>.ToName(point)}{at}: {what} ({_batch.Count - processedInBatch} of {_batch.Count} records abandoned{queued})");
    }

    /// <summary>
    /// Called by the client on this instance's poll thread (or, at close, on the disposing thread once
    /// the poll thread has ended): queues the change at the current batch position.
    /// </summary>
    private void AssignmentChanged(ConsumeKind kind, IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions.Where(p => p.Topic == _topic).OrderBy(p => p.Partition.Value))
        {
            _assignmentChanges.Add((_batch.Count, kind, partition.Partition.Value));
            Interlocked.Add(ref _assigned, kind == ConsumeKind.Assigned ? 1 : -1);
        }

        if (Thread.CurrentThread != _thread)
        {
            JournalAssignmentChanges(upTo: int.MaxValue);
        }
    }

    /// <summary>Journals the queued changes that came before batch record <paramref name="upTo"/>.</summary>
    private void JournalAssignmentChanges(int upTo)
    {
        while (_journalledChanges < _assignmentChanges.Count && _assignmentChanges[_journalledChanges].BatchIndex <= upTo)
        {
            var (_, kind, partition) = _assignmentChanges[_journalledChanges++];
            if (_worker is { IsOpen: true } worker && Thread.CurrentThread == _thread)
            {
                worker.AssignmentChange(kind, partition); // in order among the records handed over before it
            }
            else
            {
                _journal.AssignmentChange(kind, partition);
            }
        }
    }

    /// <summary>Stops the loop after its current batch; a graceful stop closes the client (commit and leave).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        if (_thread is not null && !_thread.Join(StopTimeout))
        {
            // Blocked inside the client: a synchronous commit waits for a coordinator without end while the
            // broker that was it is down (seen when a SIGINT came during a leader kill). Its records are
            // journalled already; the handle is left to the process's exit rather than freed under the
            // thread still using it.
            _clientLog($"{Name} did not stop within {StopTimeout.TotalSeconds:0} s (blocked in the client, likely a commit waiting for a coordinator); left behind");
            return;
        }

        _worker?.Stop(abandonQueued: false);
        if (!HasCrashed)
        {
            try
            {
                _consumer.Close();
            }
            catch (KafkaException)
            {
                // Leaving the group can fail when the coordinator is gone; the client is released regardless.
            }

            _consumer.Dispose();
        }

        _stop.Dispose();
        _worker?.Dispose();
    }
}
