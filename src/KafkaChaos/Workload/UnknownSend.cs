namespace KafkaChaos.Workload;

/// <summary>
/// A message a killed producer identity sent without learning its outcome, by its business identity: the
/// producer id and sequence its envelope carries. An application that resends it after a restart sends
/// this same identity again, from a new producer id the broker has never seen.
/// </summary>
public readonly record struct UnknownSend(int Producer, long Sequence);
