using Confluent.Kafka;
using KafkaChaos.Journal;

namespace KafkaChaos.Workload;

/// <summary>
/// A group consumer that journals every record it processes, decoded back to producer and sequence,
/// and can drain: keep reading until it has reached given end offsets or the topic has gone quiet.
/// </summary>
/// <remarks>
/// Runs its poll loop on a thread of its own. In this slice offsets are auto-committed
/// (enable.auto.commit with a 1 s interval); "processing" is the journal write.
/// </remarks>
public sealed class VerifyingConsumer : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly JournalWriter _journal;
    private readonly TimeProvider _time;
    private readonly Guid _runId;
    private readonly string _topic;
    private readonly Dictionary<int, long> _nextOffsets = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private long _consumed;
    private long _lastRecordMillis;
    private Exception? _failure;

    public VerifyingConsumer(string name, Guid runId, string topic, IReadOnlyDictionary<string, string> config,
        JournalWriter journal, TimeProvider time, Action<string> clientLog)
    {
        Name = name;
        _runId = runId;
        _topic = topic;
        _journal = journal;
        _time = time;
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetLogHandler((_, m) => clientLog($"{name} {m.Level} {m.Facility}: {m.Message}"))
            .SetErrorHandler((_, e) => clientLog($"{name} error {e.Code}: {e.Reason}"))
            .Build();
    }

    public string Name { get; }
    public long Consumed => Interlocked.Read(ref _consumed);
    public LatencyRecorder EndToEnd { get; } = new();

    public void Start()
    {
        _consumer.Subscribe(_topic);
        _lastRecordMillis = _time.Millis();
        _thread = new Thread(Loop) { IsBackground = true, Name = $"consumer {Name}" };
        _thread.Start();
    }

    /// <summary>The current end offset of each partition, read from the partition leaders.</summary>
    public IReadOnlyDictionary<int, long> EndOffsets(int partitions)
    {
        var ends = new Dictionary<int, long>();
        for (var partition = 0; partition < partitions; partition++)
        {
            ends[partition] = _consumer.QueryWatermarkOffsets(new TopicPartition(_topic, partition), TimeSpan.FromSeconds(10)).High.Value;
        }

        return ends;
    }

    /// <summary>
    /// Waits until every partition has been read up to <paramref name="endOffsets"/>, or until no record
    /// has arrived for <paramref name="idleTimeout"/>, then stops the loop.
    /// </summary>
    /// <returns>True when every end offset was reached.</returns>
    public async Task<bool> DrainAsync(IReadOnlyDictionary<int, long> endOffsets, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (_failure is { } failure)
                {
                    throw new InvalidOperationException($"consumer {Name} failed: {failure.Message}", failure);
                }

                if (CaughtUp(endOffsets))
                {
                    return true;
                }

                if (_time.Millis() - Interlocked.Read(ref _lastRecordMillis) > idleTimeout.TotalMilliseconds)
                {
                    return false;
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        finally
        {
            Stop();
        }
    }

    private bool CaughtUp(IReadOnlyDictionary<int, long> endOffsets)
    {
        lock (_gate)
        {
            return endOffsets.All(end => end.Value <= 0 || _nextOffsets.GetValueOrDefault(end.Key) >= end.Value);
        }
    }

    private void Loop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result?.Message is null)
                {
                    continue;
                }

                Process(result);
            }
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException)
        {
            _failure = e;
        }
    }

    private void Process(ConsumeResult<byte[]?, byte[]?> result)
    {
        var nowMillis = _time.Millis();
        var partition = result.Partition.Value;
        var offset = result.Offset.Value;
        ConsumedRecord record;
        string? error = "null value";
        if (result.Message.Value is { } value && MessageEnvelope.TryDecode(value, out var envelope, out error))
        {
            if (envelope.RunId == _runId)
            {
                record = new ConsumedRecord(Name, ProducerName(envelope.ProducerId), envelope.Sequence, partition, offset, nowMillis);
                EndToEnd.Record(_time.Micros() - envelope.IntendedSendMicros);
            }
            else
            {
                record = new ConsumedRecord(Name, null, null, partition, offset, nowMillis, $"envelope of another run ({envelope.RunId})");
            }
        }
        else
        {
            record = new ConsumedRecord(Name, null, null, partition, offset, nowMillis, error);
        }

        _journal.WriteConsumed(record);
        lock (_gate)
        {
            _nextOffsets[partition] = Math.Max(_nextOffsets.GetValueOrDefault(partition), offset + 1);
        }

        Interlocked.Increment(ref _consumed);
        Interlocked.Exchange(ref _lastRecordMillis, nowMillis);
    }

    /// <summary>The journal's name for the producer with this envelope id.</summary>
    public static string ProducerName(int producerId) => $"p{producerId}";

    private void Stop()
    {
        _stop.Cancel();
        _thread?.Join();
    }

    public void Dispose()
    {
        Stop();
        try
        {
            _consumer.Close();
        }
        catch (KafkaException)
        {
            // Leaving the group can fail when the coordinator is gone; the consumer is closed regardless.
        }

        _consumer.Dispose();
        _stop.Dispose();
    }
}
