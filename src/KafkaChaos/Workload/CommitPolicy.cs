using Confluent.Kafka;
using KafkaChaos.Journal;

namespace KafkaChaos.Workload;

/// <summary>
/// When and how one instance commits its batches: before processing them, after (a synchronous commit, or
/// stored offsets that librdkafka commits in the background), or never itself (auto-commit). The poll loop
/// calls it at the two places a strategy may commit.
/// </summary>
internal sealed class CommitPolicy(IConsumer<Ignore, MessageEnvelope?> consumer, string topic, ConsumerSpec spec, string name, Action<string> clientLog,
    TimeProvider time, CancellationToken stop)
{
    /// <summary>Commits before processing: true when it did (commit-before-process).</summary>
    public bool BeforeProcessing(IReadOnlyList<ConsumeResult<Ignore, MessageEnvelope?>> batch)
    {
        if (spec.Commit != CommitStrategy.CommitBeforeProcess)
        {
            return false;
        }

        Commit(batch);
        return true;
    }

    /// <summary>Commits after processing: true when it did (process-then-commit, sync or async).</summary>
    public bool AfterProcessing(IReadOnlyList<ConsumeResult<Ignore, MessageEnvelope?>> batch)
    {
        if (spec.Commit != CommitStrategy.ProcessThenCommit)
        {
            return false;
        }

        if (spec.CommitAsync)
        {
            foreach (var result in batch)
            {
                consumer.StoreOffset(new TopicPartitionOffset(topic, result.Partition, result.Offset + 1));
            }
        }
        else
        {
            Commit(batch);
        }

        return true;
    }

    /// <summary>Whether librdkafka's timer commits, and so a crash after a commit must wait for one.</summary>
    public bool CommitsInBackground => spec.Commit == CommitStrategy.AutoCommit;

    /// <summary>Waits, up to three commit intervals, until a background commit covers <paramref name="record"/>.</summary>
    public void WaitForAutoCommitPast(ConsumeResult<Ignore, MessageEnvelope?> record)
    {
        var deadline = time.Millis() + (3L * spec.AutoCommitIntervalMs) + 1000;
        while (time.Millis() < deadline && !stop.IsCancellationRequested)
        {
            try
            {
                var committed = consumer.Committed([new TopicPartition(topic, record.Partition)], TimeSpan.FromSeconds(5));
                if (committed.Count == 1 && committed[0].Offset.Value > record.Offset.Value)
                {
                    return;
                }
            }
            catch (KafkaException e) when (!e.Error.IsFatal)
            {
                // The coordinator moved; ask again until the deadline.
            }

            time.Sleep(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>
    /// A synchronous commit. One refused by the group (a rebalance moved the partitions, the
    /// coordinator changed) is what at-least-once expects: the records come again to whoever owns
    /// them now, and the ledger counts the redeliveries. Only a fatal error stops the consumer.
    /// </summary>
    private void Commit(IReadOnlyList<ConsumeResult<Ignore, MessageEnvelope?>> batch)
    {
        try
        {
            consumer.Commit(batch.GroupBy(r => r.Partition.Value)
                .Select(g => new TopicPartitionOffset(topic, g.Key, g.Max(r => r.Offset.Value) + 1))
                .ToList());
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            clientLog($"{name} commit refused, records will be redelivered: {e.Error.Code}: {e.Error.Reason}");
        }
    }
}
