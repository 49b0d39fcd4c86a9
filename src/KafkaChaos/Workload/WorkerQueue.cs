using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaChaos.Journal;

namespace KafkaChaos.Workload;

/// <summary>
/// The worker queue of article 000's thread pool: the poll loop hands each record to a worker thread and
/// counts it done at hand-over; the worker processes them in order. After a crash what is still queued, and
/// the record in hand, are journalled abandoned: the process died with them in its memory.
/// </summary>
internal sealed class WorkerQueue(string name, TimeSpan processingTime, TimeProvider time, ConsumedJournal journal,
    Action<ConsumeResult<Ignore, MessageEnvelope?>> process, Action<Exception> failed) : IDisposable
{
    private readonly BlockingCollection<(ConsumeResult<Ignore, MessageEnvelope?>? Record, ConsumeKind Kind, int Partition)> _queue = new();
    private Thread? _worker;
    private volatile bool _abandon;

    /// <summary>Records handed over and not yet processed.</summary>
    public int Count => _queue.Count;

    /// <summary>Whether hand-overs still go to the worker (false once it is being stopped).</summary>
    public bool IsOpen => !_queue.IsAddingCompleted;

    public void Start()
    {
        _worker = new Thread(Work) { IsBackground = true, Name = $"consumer-worker {name}" };
        _worker.Start();
    }

    /// <summary>Hands a record over: from here on it counts as done.</summary>
    public void HandOver(ConsumeResult<Ignore, MessageEnvelope?> record) => _queue.Add((record, ConsumeKind.Processed, record.Partition.Value));

    /// <summary>An assignment change, journalled in order among the records handed over before it.</summary>
    public void AssignmentChange(ConsumeKind kind, int partition) => _queue.Add((null, kind, partition));

    /// <summary>Ends the worker once the queue is empty, abandoning what is left when the instance crashed.</summary>
    public void Stop(bool abandonQueued)
    {
        if (_worker is null)
        {
            return;
        }

        _abandon |= abandonQueued;
        _queue.CompleteAdding();
        _worker.Join();
        _worker = null;
    }

    public void Dispose() => _queue.Dispose();

    private void Work()
    {
        try
        {
            foreach (var (record, kind, partition) in _queue.GetConsumingEnumerable())
            {
                if (record is null)
                {
                    journal.AssignmentChange(kind, partition);
                    continue;
                }

                if (!_abandon && processingTime > TimeSpan.Zero)
                {
                    time.Sleep(processingTime);
                }

                if (_abandon)
                {
                    journal.Abandoned(record);
                    continue;
                }

                process(record);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failed(e); // fails the cell, as on the poll thread
        }
    }
}
