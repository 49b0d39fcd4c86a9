namespace KafkaChaos.Ledger;

/// <summary>
/// Every message's fate by partition and by when its outcome came (results.json <c>fates</c>): the data
/// of the report's per-partition chart, where acknowledged messages lost to a leader change show as the
/// seconds before the fault in that partition's lane.
/// </summary>
/// <param name="BucketMs">The width of a bucket: the cell's span over at most <see cref="FateTimelineBuilder.MaxBuckets"/> buckets, at least 100 ms.</param>
/// <param name="Buckets">Buckets with any message, by partition then time.</param>
/// <param name="Partitions">How many partitions had acknowledged messages; only the first <see cref="FateTimelineBuilder.MaxLanes"/> have lanes.</param>
public sealed record FateTimeline(long BucketMs, IReadOnlyList<FateBucket> Buckets, int Partitions);
