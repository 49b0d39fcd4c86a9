using BenchmarkDotNet.Attributes;
using KafkaChaos.Journal;
using KafkaChaos.Workload;

namespace KafkaChaos.Benchmarks;

/// <summary>
/// What the harness adds to each message beyond what a raw client does, piece by piece, so that the
/// gap between the two in <c>kafka-chaos bench</c> can be accounted for: the journal entry for an
/// acknowledgement and for a consumed record (buffered, under the stream's lock, written out in
/// blocks), the wall-clock read that stamps them against the monotonic one a raw client takes, and the
/// latency sample both clients record. Reported per entry (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class HarnessRecordingBenchmarks
{
    private const int Entries = 1_000_000;
    private readonly LatencyRecorder _latency = new();
    private readonly ConsumerProgress _progress = new GroupProgress().Join();
    private string _directory = "";
    private JournalWriter? _journal;
    private long _sequence;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("kafka-chaos-bench-").FullName;
        _journal = new JournalWriter(_directory, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _journal?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public void JournalAcknowledgement()
    {
        for (var i = 0; i < Entries; i++)
        {
            var sequence = _sequence++;
            _journal!.WriteProduced(new ProduceOutcome(0, sequence, ProduceStatus.Acked, (int)(sequence % 3), sequence / 3, 1_763_900_000_000 + (sequence >> 10)));
        }
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public void JournalConsumedRecord()
    {
        for (var i = 0; i < Entries; i++)
        {
            var sequence = _sequence++;
            _journal!.WriteConsumed(new ConsumedRecord(0, 0, sequence, (int)(sequence % 3), sequence / 3, 1_763_900_000_000 + (sequence >> 10)));
        }
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public void ConsumerProgressRecord()
    {
        for (var i = 0; i < Entries; i++)
        {
            var sequence = _sequence++;
            _progress.Reached((int)(sequence % 3), sequence / 3, 1_763_900_000_000 + (sequence >> 10));
        }
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public long WallClockMicros()
    {
        long sum = 0;
        for (var i = 0; i < Entries; i++)
        {
            sum += TimeProvider.System.Micros();
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public long MonotonicTimestamp()
    {
        long sum = 0;
        for (var i = 0; i < Entries; i++)
        {
            sum += TimeProvider.System.GetTimestamp();
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Entries)]
    public void LatencySample()
    {
        for (var i = 0; i < Entries; i++)
        {
            _latency.Record(5_000 + (i & 0x3fff));
        }
    }
}
