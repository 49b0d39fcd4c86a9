namespace KafkaChaos.Workload;

/// <summary>Which key each message gets, which decides how the client spreads them over partitions.</summary>
public enum KeyStrategy
{
    /// <summary>No key: the client's partitioner picks (librdkafka: random or sticky per batch).</summary>
    None,

    /// <summary>The sequence number as key: an even, reproducible spread.</summary>
    Sequence,

    /// <summary>One key for every message: all of them in one partition, so order is fully checkable.</summary>
    Fixed,

    /// <summary>A random 8-byte key per message.</summary>
    Random,
}
