namespace KafkaChaos.Experiments.Replay;

/// <summary>
/// One fault application as a cell made it: its kind and options as a file gives them, the broker it hit as
/// resolved then and in what role, and when it was applied, verified and healed, in seconds from the workload's
/// start. Null times are phases it never reached (not applied, never verified).
/// </summary>
public sealed record ScheduledFault(
    string Kind,
    IReadOnlyDictionary<string, string> Options,
    double PlannedSeconds,
    int? Broker,
    string? Target,
    double? AppliedSeconds,
    double? VerifiedSeconds,
    double? HealedSeconds);
