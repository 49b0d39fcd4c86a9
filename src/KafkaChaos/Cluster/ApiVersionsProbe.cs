using System.Buffers.Binary;

namespace KafkaChaos.Cluster;

/// <summary>
/// Asks a broker which requests it serves (ApiVersions, from 0.10.0) and reads the oldest Kafka release
/// that serves them all. The client library keeps the answer to itself, and the version is what decides the
/// client settings and which features an experiment may assume; a broker says it more truly than a flag.
/// </summary>
public static class ApiVersionsProbe
{
    /// <summary>Requests and the release that first served them, newest first; a broker serving one is at least that release.</summary>
    private static readonly (short ApiKey, KafkaVersion Since)[] Markers =
    [
        (75, new KafkaVersion(3, 8, 0)), // DescribeTopicPartitions
        (66, new KafkaVersion(3, 0, 0)), // ListTransactions
        (60, new KafkaVersion(2, 8, 0)), // DescribeCluster
        (50, new KafkaVersion(2, 7, 0)), // DescribeUserScramCredentials
        (48, new KafkaVersion(2, 6, 0)), // DescribeClientQuotas
        (45, new KafkaVersion(2, 4, 0)), // AlterPartitionReassignments
        (44, new KafkaVersion(2, 3, 0)), // IncrementalAlterConfigs
        (43, new KafkaVersion(2, 2, 0)), // ElectLeaders
        (42, new KafkaVersion(1, 1, 0)), // DeleteGroups
        (37, new KafkaVersion(1, 0, 0)), // CreatePartitions
        (22, new KafkaVersion(0, 11, 0)), // InitProducerId
        (19, new KafkaVersion(0, 10, 1)), // CreateTopics
    ];

    /// <summary>The oldest release that serves every request in <paramref name="apis"/> (key, oldest version, newest version).</summary>
    public static KafkaVersion OldestReleaseServing(IReadOnlyCollection<(short ApiKey, short Min, short Max)> apis)
    {
        ArgumentNullException.ThrowIfNull(apis);
        if (apis.Any(a => a.ApiKey == 0 && a.Min >= 3))
        {
            return new KafkaVersion(4, 0, 0); // KIP-896: Produce before v3 is gone
        }

        var keys = apis.Select(a => a.ApiKey).ToHashSet();
        return Markers.FirstOrDefault(m => keys.Contains(m.ApiKey)).Since ?? new KafkaVersion(0, 10, 0);
    }

    /// <summary>The requests the broker at <paramref name="host"/>:<paramref name="port"/> serves, or null when it did not answer an ApiVersions request (before 0.10, or not Kafka).</summary>
    public static async Task<IReadOnlyList<(short ApiKey, short Min, short Max)>?> AskAsync(string host, int port, CancellationToken cancellationToken)
    {
        var request = KafkaRequestExchange.Request(apiKey: 18, apiVersion: 0, correlationId: 1, bodyLength: 0); // ApiVersions v0 has no body
        return await KafkaRequestExchange.SendAsync(host, port, request, 1 << 20, cancellationToken) is { } body ? Parse(body) : null;
    }

    /// <summary>
    /// The version the first bootstrap server that answers ApiVersions is at least, and which one said it;
    /// null when none answered (brokers before 0.10, or none reachable).
    /// </summary>
    public static async Task<(KafkaVersion Version, string Endpoint, IReadOnlyList<(short ApiKey, short Min, short Max)> Apis)?> DetectAsync(
        string bootstrapServers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bootstrapServers);
        foreach (var endpoint in bootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = endpoint.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
            {
                continue;
            }

            if (await AskAsync(endpoint[..colon].Trim('[', ']'), port, cancellationToken) is { } apis)
            {
                return (OldestReleaseServing(apis), endpoint, apis);
            }
        }

        return null;
    }

    /// <summary>An ApiVersions v0 response after its size: correlation id, error code, then (key, min, max) per request.</summary>
    public static IReadOnlyList<(short ApiKey, short Min, short Max)>? Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < 10 || BinaryPrimitives.ReadInt32BigEndian(body) != 1)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(body[6..]);
        if (count < 0 || body.Length < 10 + (count * 6))
        {
            return null;
        }

        var apis = new List<(short, short, short)>(count);
        for (var i = 0; i < count; i++)
        {
            var entry = body[(10 + (i * 6))..];
            apis.Add((BinaryPrimitives.ReadInt16BigEndian(entry), BinaryPrimitives.ReadInt16BigEndian(entry[2..]), BinaryPrimitives.ReadInt16BigEndian(entry[4..])));
        }

        return apis;
    }
}
