using System.Buffers.Binary;
using Confluent.Kafka;
using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// The raw consumer: a plain <c>Consume</c> loop in a group, which only notes how far it has read each
/// partition and, when told to, times each record from the intended send time the raw producer wrote
/// into the value (Stopwatch ticks at offset 8), as the harness times it from its envelope.
/// </summary>
internal sealed class RawBenchConsumer : BenchConsumer
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly string _topic;
    private readonly bool _timeRecords;
    private readonly long[] _next;
    private readonly LatencyRecorder _endToEnd = new();
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private long _records;

    public RawBenchConsumer(IReadOnlyDictionary<string, string> config, string topic, int partitions, bool timeRecords)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        (_topic, _timeRecords, _next) = (topic, timeRecords, new long[partitions]);
    }

    public override long Records => Volatile.Read(ref _records);

    public override void Start()
    {
        _consumer.Subscribe(_topic);
        _thread = new Thread(Loop) { IsBackground = true, Name = "bench raw consumer" };
        _thread.Start();
    }

    public override bool HasReached(IReadOnlyDictionary<int, long> ends) =>
        ends.All(end => end.Value <= 0 || Volatile.Read(ref _next[end.Key]) >= end.Value);

    public override LatencySummary EndToEnd() => _endToEnd.Summarize();

    public override void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _consumer.Close();
        _consumer.Dispose();
        _stop.Dispose();
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<byte[]?, byte[]?>? result;
            try
            {
                result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                continue; // leadership moving under a fault: the client retries on its own
            }

            if (result?.Message is not { } message)
            {
                continue;
            }

            if (_timeRecords && message.Value is { Length: >= 16 } value)
            {
                _endToEnd.Record((TimeProvider.System.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(8))) * 1_000_000 / TimeProvider.System.TimestampFrequency);
            }

            Volatile.Write(ref _next[result.Partition.Value], result.Offset.Value + 1);
            Volatile.Write(ref _records, _records + 1);
        }
    }
}
