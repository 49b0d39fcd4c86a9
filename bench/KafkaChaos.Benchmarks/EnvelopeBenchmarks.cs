using BenchmarkDotNet.Attributes;
using KafkaChaos.Workload;

namespace KafkaChaos.Benchmarks;

/// <summary>The envelope every message carries: what it costs to write and to check one (256-byte value).</summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private readonly byte[] _value = new byte[256];
    private readonly MessageEnvelope _envelope = new(Guid.NewGuid(), 3, 123_456_789, 1_763_900_000_000_000);

    [GlobalSetup]
    public void Setup() => _envelope.Encode(_value);

    [Benchmark]
    public void Encode() => _envelope.Encode(_value);

    [Benchmark]
    public bool Decode() => MessageEnvelope.TryDecode(_value, out _, out _);
}
