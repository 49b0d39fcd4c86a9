using System.Collections.Concurrent;
using System.Security.Cryptography;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// Looks into a broker image for its Kafka: an image this tool built says it on its label; any other is
/// listed once in a throwaway container (labelled, removed at once) for the known layouts' start script
/// and broker jar, and whether it has iptables for the network faults. Images are immutable, so what an
/// image id showed is kept for the life of the process.
/// </summary>
public sealed class BrokerImageInspector(DockerEngine engine)
{
    private static readonly ConcurrentDictionary<string, BrokerImage> ByImageId = new(StringComparer.Ordinal);

    /// <summary>What <paramref name="image"/>, present on the engine, holds.</summary>
    /// <exception cref="ClusterConfigException">The image has no Kafka the tool knows how to start.</exception>
    /// <exception cref="DockerImageNotFoundException">The engine does not have the image.</exception>
    public async Task<BrokerImage> InspectAsync(string image, CancellationToken cancellationToken)
    {
        var inspected = await engine.Client.Images.InspectImageAsync(image, cancellationToken);
        if (ByImageId.TryGetValue(inspected.ID, out var known))
        {
            return known with { Image = image };
        }

        BrokerImage found;
        if (inspected.Config?.Labels is { } labels && labels.TryGetValue(ResourceLabels.KafkaVersion, out var text) && KafkaVersion.TryParse(text, out var labelled)
            && labels.TryGetValue(ResourceLabels.Role, out var role) && role == "broker-image")
        {
            found = new BrokerImage(image, labelled, KafkaImageLayout.ToolBuilt, HasIptables: true, "from the label of the image this tool built");
        }
        else
        {
            var output = await ProbeAsync(image, cancellationToken);
            var (layout, version, iptables) = KafkaImageLayout.FromProbe(output) ?? throw new ClusterConfigException(
                $"image '{image}' has no Kafka in it: no kafka-server-start and broker jar (libs/kafka_<scala>-<version>.jar) in {string.Join(", ", KafkaImageLayout.Known.Select(l => l.BinDirectory[..l.BinDirectory.LastIndexOf('/')]))}");
            found = new BrokerImage(image, version, layout, iptables, $"from the broker jar in {layout.LibsDirectory}");
        }

        ByImageId[inspected.ID] = found;
        return found;
    }

    private async Task<string> ProbeAsync(string image, CancellationToken cancellationToken)
    {
        var runId = $"probe-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"kafka-chaos-{runId}",
            Image = image,
            Entrypoint = ["/bin/sh", "-c"],
            Cmd = [KafkaImageLayout.ProbeScript],
            User = "0",
            Labels = ResourceLabels.For(runId, "image-probe"),
            HostConfig = new HostConfig { NetworkMode = "none" },
        }, cancellationToken);
        try
        {
            await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
            await engine.Client.Containers.WaitContainerAsync(created.ID, cancellationToken);
            using var logs = await engine.Client.Containers.GetContainerLogsAsync(created.ID, tty: false,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = false }, cancellationToken);
            var (stdout, _) = await logs.ReadOutputToEndAsync(cancellationToken);
            return stdout;
        }
        catch (DockerApiException e) when (e.ResponseBody.Contains("executable file not found", StringComparison.OrdinalIgnoreCase)
            || e.ResponseBody.Contains("no such file", StringComparison.OrdinalIgnoreCase))
        {
            throw new ClusterConfigException($"image '{image}' has no /bin/sh, so the tool cannot start Kafka in it with its own command", e);
        }
        finally
        {
            await engine.Client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
    }
}
