using System.Globalization;
using KafkaChaos.Cluster;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// Measures the final read on a real cluster: a topic filled by the sequenced producer, read whole by
/// <see cref="FinalLogReader"/>, then the journal verified with and without the final read.
/// </summary>
public static class FinalReadBench
{
    public static async Task<FinalReadCost> MeasureAsync(KafkaCluster cluster, string scratch, long messages, int messageSize, int partitions,
        TimeProvider time, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var topic = $"final-{Guid.NewGuid():N}"[..20];
        await cluster.CreateTopicAsync(topic, partitions, 1, new Dictionary<string, string>(), cancellationToken);
        var runId = Guid.NewGuid();
        var directory = Directory.CreateDirectory(Path.Combine(scratch, "final-read-" + runId.ToString("N"))).FullName;
        try
        {
            double readSeconds;
            using (var journal = new JournalWriter(directory, time))
            {
                journal.WriteRunStarted("bench-final-read", time.Millis(), new Dictionary<string, string>());
                var config = new Dictionary<string, string>(cluster.ClientSettings, StringComparer.Ordinal)
                {
                    ["acks"] = "1",
                    ["linger.ms"] = "5",
                    ["queue.buffering.max.messages"] = "1000000",
                };
                log($"final read: filling a topic with {messages:N0} messages");
                using (var producer = new SequencedProducer(0, runId, topic, messages, messageSize, new MessageKeys(KeyStrategy.Sequence, 0), config, journal, time, _ => { }))
                {
                    await Task.Run(() => producer.Run(0, cancellationToken), cancellationToken);
                    producer.Finish(TimeSpan.FromMinutes(2));
                }

                var watch = TimeProvider.System.GetTimestamp();
                var summary = await Task.Run(() => new FinalLogReader(topic, partitions, runId, cluster.ClientSettings, journal, time, _ => { })
                    .Read(TimeSpan.FromSeconds(30), cancellationToken), cancellationToken);
                readSeconds = TimeProvider.System.GetElapsedTime(watch).TotalSeconds;
                journal.WriteFinalReadEnded(time.Millis(), summary);
                journal.WriteRunEnded(time.Millis(), RunStatus.Completed);
            }

            var (verify, counts) = Verify(directory, withFinalRead: true);
            var (verifyWithout, _) = Verify(directory, withFinalRead: false);
            var exact = counts.Sent == messages && counts is { Lost: 0, LostUnacked: 0, DuplicateWrites: 0 };
            var cost = new FinalReadCost(messages, messageSize, partitions, readSeconds, verify, verifyWithout, exact);
            log(cost.Describe());
            return cost;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
            await cluster.Access.Topics.DeleteTopicAsync(topic, CancellationToken.None);
        }
    }

    /// <summary>The best of three verifies, so that the page cache and the JIT are warm for both.</summary>
    private static (double Seconds, LedgerCounts Counts) Verify(string directory, bool withFinalRead)
    {
        var best = double.MaxValue;
        LedgerCounts counts = new();
        for (var round = 0; round < 3; round++)
        {
            var watch = TimeProvider.System.GetTimestamp();
            var history = JournalReader.ReadRunDirectory(directory).History;
            counts = LedgerChecker.Check(withFinalRead ? history : history with { FinalRead = [], FinalReadEnd = null }).Counts;
            best = Math.Min(best, TimeProvider.System.GetElapsedTime(watch).TotalSeconds);
        }

        return (best, counts);
    }

    public static string Markdown(FinalReadCost cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        return string.Create(CultureInfo.InvariantCulture,
            $"\n## The final read\n\n{cost.Describe()}.\n");
    }
}
