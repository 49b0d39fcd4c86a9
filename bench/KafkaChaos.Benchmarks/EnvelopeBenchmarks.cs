using BenchmarkDotNet.Attributes;
using KafkaChaos.Workload;

namespace KafkaChaos.Benchmarks;

/// <summary>The envelope every message carries: what it costs to write and to check one, at the bench's two sizes.</summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private readonly MessageEnvelope _envelope = new(Guid.NewGuid(), 3, 123_456_789, 1_763_900_000_000_000);
    private byte[] _value = [];

    [Params(100, 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _value = new byte[Size];
        _envelope.Encode(_value);
    }

    [Benchmark]
    public void Encode() => _envelope.Encode(_value);

    [Benchmark]
    public bool Decode() => MessageEnvelope.TryDecode(_value, out _, out _);
}
