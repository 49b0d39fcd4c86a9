namespace KafkaChaos.Journal;

/// <summary>One entry of the fault timeline: which fault, what it hit, when, and what was seen.</summary>
public sealed record FaultEvent(string Fault, FaultPhase Phase, string Target, long TimestampMs, string Detail);
