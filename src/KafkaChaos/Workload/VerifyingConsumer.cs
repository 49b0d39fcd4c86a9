using System.Collections.Concurrent;
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
    private const int NoCrash = -1;

    /// <summary>How long a stop waits for the poll loop to finish its batch.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly IConsumer<Ignore, MessageEnvelope?> _consumer;
    private readonly ConsumerSpec _spec;
    private readonly JournalWriter _journal;
    private readonly DedupStore? _dedup;
    private int _assigned;
    private readonly ConsumerProgress _progress;
    private readonly TimeProvider _time;
    private readonly Guid _runId;
    private readonly Action<string> _clientLog;
    private readonly string _topic;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _crashed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ConsumeResult<Ignore, MessageEnvelope?>> _batch = [];

    /// <summary>
    /// Assignment changes met while polling, each with the batch position it came at: they are journalled
    /// in poll order among the batch's records, which are journalled only once processed.
    /// </summary>
    private readonly List<(int BatchIndex, ConsumeKind Kind, int Partition)> _assignmentChanges = [];
    private int _journalledChanges;

    /// <summary>
    /// With a worker queue: what the poll loop handed over, records and assignment changes in poll order,
    /// for the worker thread to process and journal. Null when records are processed on the poll thread.
    /// </summary>
    private readonly BlockingCollection<(ConsumeResult<Ignore, MessageEnvelope?>? Record, ConsumeKind Kind, int Partition)>? _queue;
    private Thread? _worker;
    private volatile bool _abandonQueue;
    private int _crashRequest = NoCrash;
    private Thread? _thread;
    private Exception? _failure;
    private bool _disposed;

    public VerifyingConsumer(int id, Guid runId, string topic, ConsumerSpec spec, IReadOnlyDictionary<string, string> config,
        JournalWriter journal, DedupStore? dedup, ConsumerProgress progress, TimeProvider time, Action<string> clientLog, IConsumerClientFactory? clients = null)
    {
        Id = id;
        Name = ClientNames.Consumer(id);
        _runId = runId;
        _topic = topic;
        _spec = spec;
        _journal = journal;
        _dedup = dedup;
        _progress = progress;
        _time = time;
        _clientLog = clientLog;
        _queue = spec.WorkerQueue ? new() : null;
        _consumer = (clients ?? LibrdkafkaConsumerFactory.Instance).Create(config, new ConsumerCallbacks(
            m => clientLog($"{Name} {m.Level} {m.Facility}: {m.Message}"),
            e => clientLog($"{Name} error {e.Code}: {e.Reason}"),
            partitions => AssignmentChanged(ConsumeKind.Assigned, partitions),
            partitions => AssignmentChanged(ConsumeKind.Revoked, partitions)));
    }

    public int Id { get; }
    public string Name { get; }
    public Exception? Failure => _failure;
    public bool HasCrashed => _crashed.Task.IsCompleted;

    /// <summary>Intended send time to processed; read only after the instance has stopped.</summary>
    public LatencyRecorder EndToEnd { get; } = new();

    public void Start()
    {
        _consumer.Subscribe(_topic);
        // The worker first: a poll loop that crashes at once joins it, which it cannot before it has started.
        if (_queue is not null)
        {
            _worker = new Thread(Work) { IsBackground = true, Name = $"consumer-worker {Name}" };
            _worker.Start();
        }

        _thread = new Thread(Loop) { IsBackground = true, Name = $"consumer {Name}" };
        _thread.Start();
    }

    /// <summary>Kills this instance at the next <paramref name="point"/> of its cycle.</summary>
    /// <returns>Completes with what the crash cut short, once the instance is dead.</returns>
    public Task<string> CrashAsync(CrashPoint point)
    {
        Volatile.Write(ref _crashRequest, (int)point);
        return _crashed.Task;
    }

    /// <summary>Withdraws a crash request that was never reached, so that a later request starts clean.</summary>
    public void CancelCrash() => Volatile.Write(ref _crashRequest, NoCrash);

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
                if (!PollBatch())
                {
                    continue;
                }

                if (_spec.Commit == CommitStrategy.CommitBeforeProcess)
                {
                    Commit();
                    CrashIfRequested(CrashPoint.AfterCommit, 0, "committed a batch, processed none of it");
                }

                for (var i = 0; i < _batch.Count; i++)
                {
                    if (_spec.Commit == CommitStrategy.AutoCommit && Volatile.Read(ref _crashRequest) == (int)CrashPoint.AfterCommit)
                    {
                        WaitForAutoCommitPast(_batch[i]);
                        CrashIfRequested(CrashPoint.AfterCommit, i, "a background commit passed a record still being processed");
                    }

                    JournalAssignmentChanges(upTo: i);
                    if (_queue is not null)
                    {
                        _queue.Add((_batch[i], ConsumeKind.Processed, _batch[i].Partition.Value)); // counted done at hand-over
                    }
                    else
                    {
                        Process(_batch[i], i);
                    }
                }

                JournalAssignmentChanges(upTo: int.MaxValue);
                CrashIfRequested(CrashPoint.BetweenProcessAndCommit, _batch.Count, "processed a batch, committed none of it");
                if (_spec.Commit == CommitStrategy.ProcessThenCommit)
                {
                    if (_spec.CommitAsync)
                    {
                        foreach (var result in _batch)
                        {
                            _consumer.StoreOffset(new TopicPartitionOffset(_topic, result.Partition, result.Offset + 1));
                        }
                    }
                    else
                    {
                        Commit();
                    }

                    CrashIfRequested(CrashPoint.AfterCommit, _batch.Count, "committed a processed batch");
                }
            }
        }
        catch (SimulatedCrash crash)
        {
            StopWorker(abandonQueued: true);
            _consumer.Dispose();
            _crashed.TrySetResult(crash.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever broke (the client, the native library, the tool), it fails the cell, which the
            // group reports when it next looks: an exception escaping this thread would end the process.
            _failure = e;
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

    /// <summary>
    /// A synchronous commit. One refused by the group (a rebalance moved the partitions, the
    /// coordinator changed) is what at-least-once expects: the records come again to whoever owns
    /// them now, and the ledger counts the redeliveries. Only a fatal error stops the consumer.
    /// </summary>
    private void Commit()
    {
        try
        {
            _consumer.Commit(NextOffsets());
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            _clientLog($"{Name} commit refused, records will be redelivered: {e.Error.Code}: {e.Error.Reason}");
        }
    }

    private List<TopicPartitionOffset> NextOffsets() =>
        _batch.GroupBy(r => r.Partition.Value)
            .Select(g => new TopicPartitionOffset(_topic, g.Key, g.Max(r => r.Offset.Value) + 1))
            .ToList();

    private void Process(ConsumeResult<Ignore, MessageEnvelope?> result, int indexInBatch, bool sleep = true)
    {
        var partition = result.Partition.Value;
        var offset = result.Offset.Value;
        if (!TryReadEnvelope(result, out var envelope))
        {
            var readMillis = _time.Millis();
            _journal.WriteConsumed(new ConsumedRecord(Id, -1, -1, partition, offset, readMillis, ConsumeKind.Unreadable));
            _progress.Reached(partition, offset, readMillis);
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
        _journal.WriteConsumed(new ConsumedRecord(Id, envelope.ProducerId, envelope.Sequence, partition, offset, nowMillis, kind));
        EndToEnd.Record(nowMicros - envelope.IntendedSendMicros);
        _progress.Reached(partition, offset, nowMillis);
        if (kind != ConsumeKind.Processed || _queue is not null)
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

    private bool TryReadEnvelope(ConsumeResult<Ignore, MessageEnvelope?> result, out MessageEnvelope envelope)
    {
        envelope = result.Message.Value.GetValueOrDefault();
        return result.Message.Value.HasValue && envelope.RunId == _runId;
    }

    private void CrashIfRequested(CrashPoint point, int processedInBatch, string what)
    {
        if (Volatile.Read(ref _crashRequest) != (int)point)
        {
            return;
        }

        // What was handed over but not processed is journalled as abandoned: evidence, not consumption.
        for (var i = processedInBatch; i < _batch.Count; i++)
        {
            JournalAssignmentChanges(upTo: i);
            var record = _batch[i];
            var readable = TryReadEnvelope(record, out var envelope);
            _journal.WriteConsumed(new ConsumedRecord(Id, readable ? envelope.ProducerId : -1, readable ? envelope.Sequence : -1,
                record.Partition.Value, record.Offset.Value, _time.Millis(), readable ? ConsumeKind.Abandoned : ConsumeKind.Unreadable));
        }

        JournalAssignmentChanges(upTo: int.MaxValue);
        var queued = _queue is { } queue ? $"; {queue.Count} handed to the worker and not yet processed" : "";
        var named = point == CrashPoint.BetweenProcessAndMark ? processedInBatch - 1 : processedInBatch; // the record just processed
        var first = _batch.Count > 0 ? _batch[Math.Clamp(named, 0, _batch.Count - 1)] : null;
        var at = first is null ? "" : $" at partition {first.Partition.Value} offset {first.Offset.Value}";
        throw new SimulatedCrash($"{Name} killed {EnumNames<CrashPoint>.ToName(point)}{at}: {what} ({_batch.Count - processedInBatch} of {_batch.Count} records abandoned{queued})");
    }

    /// <summary>
    /// The worker thread of a worker queue: processes what the poll loop handed over, in order. After a
    /// crash what is still queued, and the record in hand, are journalled abandoned: the process died
    /// with them in its memory.
    /// </summary>
    private void Work()
    {
        try
        {
            foreach (var (record, kind, partition) in _queue!.GetConsumingEnumerable())
            {
                if (record is null)
                {
                    _journal.WriteConsumed(new ConsumedRecord(Id, -1, -1, partition, -1, _time.Millis(), kind));
                    continue;
                }

                if (!_abandonQueue && _spec.ProcessingTime > TimeSpan.Zero)
                {
                    _time.Sleep(_spec.ProcessingTime);
                }

                if (_abandonQueue)
                {
                    var readable = TryReadEnvelope(record, out var envelope);
                    _journal.WriteConsumed(new ConsumedRecord(Id, readable ? envelope.ProducerId : -1, readable ? envelope.Sequence : -1,
                        record.Partition.Value, record.Offset.Value, _time.Millis(), readable ? ConsumeKind.Abandoned : ConsumeKind.Unreadable));
                    continue;
                }

                Process(record, -1, sleep: false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failure = e; // fails the cell, as on the poll thread
        }
    }

    /// <summary>Ends the worker once the queue is empty, abandoning what is left when the instance crashed.</summary>
    private void StopWorker(bool abandonQueued)
    {
        if (_queue is null || _worker is null)
        {
            return;
        }

        _abandonQueue |= abandonQueued;
        _queue.CompleteAdding();
        _worker.Join();
        _worker = null;
    }

    /// <summary>How many of the topic's partitions this instance holds now.</summary>
    public int AssignedPartitions => Volatile.Read(ref _assigned);

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
            if (_queue is { IsAddingCompleted: false } queue && Thread.CurrentThread == _thread)
            {
                queue.Add((null, kind, partition)); // in order among the records handed over before it
            }
            else
            {
                _journal.WriteConsumed(new ConsumedRecord(Id, -1, -1, partition, -1, _time.Millis(), kind));
            }
        }
    }

    /// <summary>Waits, up to three commit intervals, until a background commit covers <paramref name="record"/>.</summary>
    private void WaitForAutoCommitPast(ConsumeResult<Ignore, MessageEnvelope?> record)
    {
        var deadline = _time.Millis() + (3L * _spec.AutoCommitIntervalMs) + 1000;
        while (_time.Millis() < deadline && !_stop.IsCancellationRequested)
        {
            try
            {
                var committed = _consumer.Committed([new TopicPartition(_topic, record.Partition)], TimeSpan.FromSeconds(5));
                if (committed.Count == 1 && committed[0].Offset.Value > record.Offset.Value)
                {
                    return;
                }
            }
            catch (KafkaException e) when (!e.Error.IsFatal)
            {
                // The coordinator moved; ask again until the deadline.
            }

            _time.Sleep(TimeSpan.FromMilliseconds(50));
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

        StopWorker(abandonQueued: false);
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
        _queue?.Dispose();
    }

    private sealed class SimulatedCrash(string message) : Exception(message);
}
