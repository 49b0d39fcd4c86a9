namespace KafkaChaos.Bench;

/// <summary>How a drain ended: whether it read up to the end offsets, the seconds from its first record to its last, and the records it read.</summary>
internal readonly record struct DrainResult(bool Reached, double Seconds, long Records);
