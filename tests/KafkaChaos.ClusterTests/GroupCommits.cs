using Confluent.Kafka;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// The offsets the run's consumer group committed, as the broker answers an OffsetFetch from a client of the
/// test's own. A 0.9 broker forgets a group once its last member leaves and lists it no more, but keeps its
/// offsets; so the group is named, after its topic (<c>chaos-&lt;id&gt;</c>, group <c>kafka-chaos-&lt;id&gt;</c>), and a
/// wrong name shows as no commit at all. What a consumer-side count claims is held to these.
/// </summary>
internal static class GroupCommits
{
    /// <summary>Each partition's committed offset, -1 where the group committed none.</summary>
    public static IReadOnlyDictionary<int, long> Of(IReadOnlyDictionary<string, string> clientSettings, PlainTopicRead log)
    {
        var group = $"kafka-{log.Topic}";
        var config = new Dictionary<string, string>(clientSettings, StringComparer.Ordinal) { ["group.id"] = group, ["enable.auto.commit"] = "false" };
        using var reader = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        var committed = reader.Committed(log.Ends.Keys.Select(p => new TopicPartition(log.Topic, p)), TimeSpan.FromSeconds(20));
        reader.Close();
        return committed.ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }
}
