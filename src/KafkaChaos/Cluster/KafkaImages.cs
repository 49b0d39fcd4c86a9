namespace KafkaChaos.Cluster;

/// <summary>The broker images the tool names itself, in one place.</summary>
public static class KafkaImages
{
    /// <summary>
    /// The modern Kafka that runs by default where it can be had: used when the engine already holds it,
    /// or when <c>KAFKA_IMAGE</c> names it (then it may be pulled). Never pulled unasked.
    /// </summary>
    public const string PinnedModern = "apache/kafka:4.1.0";

    /// <summary>The environment variables that name a broker image for a run, in the order they are read.</summary>
    public static IReadOnlyList<string> ImageVariables { get; } = ["KAFKA_IMAGE", "KAFKA_CHAOS_IMAGE"];

    /// <summary>The image the environment names, or null.</summary>
    public static string? FromEnvironment() =>
        ImageVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
