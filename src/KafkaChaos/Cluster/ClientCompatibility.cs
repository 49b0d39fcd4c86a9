namespace KafkaChaos.Cluster;

/// <summary>
/// librdkafka settings a broker version needs. Brokers before 0.10 cannot answer ApiVersions, so the
/// client must not ask and must be told which protocol to speak; their consumer groups reject session
/// timeouts above group.max.session.timeout.ms (30 s in 0.9).
/// </summary>
public static class ClientCompatibility
{
    public static IReadOnlyDictionary<string, string> SettingsFor(KafkaVersion broker)
    {
        if (broker.HasApiVersionsRequest)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["api.version.request"] = "false",
            ["broker.version.fallback"] = broker >= new KafkaVersion(0, 9, 0) ? "0.9.0" : "0.8.2",
        };
    }

    /// <summary>The largest consumer session timeout the broker's default group.max.session.timeout.ms allows.</summary>
    public static TimeSpan MaxSessionTimeout(KafkaVersion broker) =>
        broker >= new KafkaVersion(0, 10, 1) ? TimeSpan.FromMinutes(5) : TimeSpan.FromSeconds(30);

    /// <summary>
    /// The session timeout every consumer of the tool uses: the shortest the broker allows by default
    /// (group.min.session.timeout.ms, 6 s), so that a killed consumer's partitions move on quickly, and never
    /// above what the broker's default maximum allows.
    /// </summary>
    public static int SessionTimeoutMs(KafkaVersion broker) => (int)Math.Min(6_000, MaxSessionTimeout(broker).TotalMilliseconds);
}
