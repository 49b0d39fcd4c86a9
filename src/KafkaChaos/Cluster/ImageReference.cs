namespace KafkaChaos.Cluster;

/// <summary>
/// What an image reference says by itself: its repository and tag, and the Kafka version its tag names,
/// for when the image cannot be looked into (check on a machine without it).
/// </summary>
public static class ImageReference
{
    /// <summary>"apache/kafka" of "docker.io/apache/kafka:4.1.0" (a registry's port is not a tag).</summary>
    public static string Repository(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var name = image.Split('@')[0];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return colon > slash ? name[..colon] : name;
    }

    /// <summary>"4.1.0" of "apache/kafka:4.1.0"; null when there is no tag.</summary>
    public static string? Tag(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var name = image.Split('@')[0];
        var slash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        return colon > slash ? name[(colon + 1)..] : null;
    }

    /// <summary>
    /// The Kafka version the tag names: apache/kafka:4.1.0, bitnami/kafka:3.9.0-debian-12-r5,
    /// kafka-chaos/kafka:0.9.0.1-&lt;digest&gt;, or Confluent Platform's confluentinc/cp-kafka:7.9.0 (7.x ships
    /// Kafka 3.x, 8.x ships 4.x); null for "latest" and other names that are no version.
    /// </summary>
    public static KafkaVersion? VersionFromTag(string image)
    {
        if (Tag(image) is not { } tag || !char.IsAsciiDigit(tag[0]))
        {
            return null;
        }

        if (Repository(image).Contains("confluentinc/cp-", StringComparison.Ordinal))
        {
            return AttachedCluster.FromJarVersion(tag.Split('-')[0] + "-ccs");
        }

        return KafkaVersion.TryParse(tag, out var version) ? version : null;
    }
}
