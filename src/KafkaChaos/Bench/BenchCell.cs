using System.Globalization;
using KafkaChaos.Faults;

namespace KafkaChaos.Bench;

/// <summary>
/// One point of a benchmark sweep: message size, acks, linger, batch size, partitions and replication
/// factor of the bench topic, and the fault injected into every timed run (null: none). A null
/// <c>BatchSize</c> leaves librdkafka's own <c>batch.size</c>.
/// </summary>
public sealed record BenchCell(int MessageSize, string Acks, int LingerMs, int Partitions, int? BatchSize = null, int ReplicationFactor = 1, FaultSpec? Fault = null)
{
    public string Name => string.Create(CultureInfo.InvariantCulture,
        $"{MessageSize}B acks={Acks} linger={LingerMs}ms{(BatchSize is { } b ? $" batch={b}" : "")} p={Partitions}{(ReplicationFactor > 1 ? $" rf={ReplicationFactor}" : "")}{(Fault is { } f ? $" fault={f.Kind}" : "")}");
}
