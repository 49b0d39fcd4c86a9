using Confluent.Kafka;
using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// A consumer a bench run reads with, raw or harness. Each starts in a fresh group whose offsets were
/// committed beforehand, so that both clients read exactly the same records and neither pays for an
/// offset reset; and both are timed the same way, by <see cref="Drain"/> watching how far they have read.
/// </summary>
internal abstract class BenchConsumer : IDisposable
{
    /// <summary>Records read so far, readable or not.</summary>
    public abstract long Records { get; }

    /// <summary>Starts reading, on a thread of its own.</summary>
    public abstract void Start();

    /// <summary>True when every partition has been read up to <paramref name="ends"/>.</summary>
    public abstract bool HasReached(IReadOnlyDictionary<int, long> ends);

    /// <summary>Intended send time to read, for every record it could time; call after <see cref="Dispose"/>.</summary>
    public abstract LatencySummary EndToEnd();

    public abstract void Dispose();

    /// <summary>
    /// Commits <paramref name="start"/> for a group nobody has joined yet, as a group that only stores its
    /// offsets in Kafka does, so that the consumer that joins it next starts there.
    /// </summary>
    public static void CommitStart(IReadOnlyDictionary<string, string> config, string topic, IReadOnlyDictionary<int, long> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        using var committer = new ConsumerBuilder<Ignore, Ignore>(config).SetLogHandler((_, _) => { }).Build();
        committer.Commit(start.Select(s => new TopicPartitionOffset(topic, s.Key, s.Value)));
        committer.Close();
    }

    /// <summary>
    /// Waits until every partition has been read up to <paramref name="ends"/>, or until nothing new has
    /// been read for <paramref name="idleTimeout"/>. Both clients are timed by this same loop, so they
    /// are measured alike: from the first record it sees to the moment it sees the last one read.
    /// </summary>
    public DrainResult Drain(IReadOnlyDictionary<int, long> ends, TimeSpan idleTimeout, CancellationToken cancellationToken) =>
        DrainUntil(() => HasReached(ends), idleTimeout, cancellationToken);

    /// <summary>As <see cref="Drain"/>, until <see cref="Records"/> reaches <paramref name="records"/>.</summary>
    public DrainResult DrainRecords(long records, TimeSpan idleTimeout, CancellationToken cancellationToken) =>
        DrainUntil(() => Records >= records, idleTimeout, cancellationToken);

    private DrainResult DrainUntil(Func<bool> done, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var startRecords = Records;
        long firstSeen = 0;
        var (lastRecords, lastProgress) = (startRecords, TimeProvider.System.GetTimestamp());
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = TimeProvider.System.GetTimestamp();
            var records = Records;
            if (firstSeen == 0 && records > startRecords)
            {
                firstSeen = now;
            }

            DrainResult Ended(bool reached) =>
                new(reached, firstSeen == 0 ? 0 : TimeProvider.System.GetElapsedTime(firstSeen, now).TotalSeconds, records - startRecords);
            if (done())
            {
                return Ended(reached: true);
            }

            if (records != lastRecords)
            {
                (lastRecords, lastProgress) = (records, now);
            }
            else if (TimeProvider.System.GetElapsedTime(lastProgress, now) > idleTimeout)
            {
                return Ended(reached: false);
            }

            TimeProvider.System.Sleep(TimeSpan.FromMilliseconds(1)); // a drain is timed on the real clock, like the bench
        }

        cancellationToken.ThrowIfCancellationRequested();
        return default;
    }
}
