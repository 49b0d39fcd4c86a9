namespace KafkaChaos.Reporting;

/// <summary>
/// results.json's <c>shard</c>: which shard of its plan a run was (<c>run --shard i/n</c>), and every cell of the
/// whole plan, so that <c>report merge</c> can tell a complete set of shards from one with a shard missing.
/// </summary>
public sealed record ShardRecord(int Index, int Count, IReadOnlyList<string> PlannedCells);
