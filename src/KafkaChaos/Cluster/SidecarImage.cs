using System.Formats.Tar;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// The image of the network sidecars: iptables and iproute2 and nothing to run. Built once and cached like
/// the broker images, from the base image where there is one (this project's machines cannot pull), and
/// from a small Alpine Dockerfile where the engine can pull.
/// </summary>
public static class SidecarImage
{
    public const string Tag = "kafka-chaos/netns-sidecar:1";

    /// <summary>The image's tag, built now if it is missing.</summary>
    /// <exception cref="InfrastructureException">It could not be built.</exception>
    public static async Task<string> EnsureAsync(DockerEngine engine, string baseImage, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (await ExistsAsync(engine, Tag, cancellationToken))
        {
            return Tag;
        }

        var from = await ExistsAsync(engine, baseImage, cancellationToken)
            ? $"FROM {baseImage}\n"
            : "FROM alpine:3.20\nRUN apk add --no-cache iptables iproute2\n";
        log($"building the network sidecar image {Tag} ({from.Split('\n')[0]})");
        using var context = new MemoryStream();
        using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(from + "CMD [\"sleep\", \"infinity\"]\n")),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            });
        }

        context.Position = 0;
        var errors = new StringBuilder();
        await engine.Client.Images.BuildImageFromDockerfileAsync(new ImageBuildParameters
        {
            Tags = [Tag],
            Dockerfile = "Dockerfile",
            Remove = true,
            ForceRemove = true,
            Labels = new Dictionary<string, string>
            {
                [ResourceLabels.Run] = ResourceLabels.CachedImageRun,
                [ResourceLabels.Role] = "sidecar-image",
            },
        }, context, null, null, new Progress<JSONMessage>(m =>
        {
            if (!string.IsNullOrEmpty(m.ErrorMessage))
            {
                errors.AppendLine(m.ErrorMessage);
            }
        }), cancellationToken);

        return await ExistsAsync(engine, Tag, cancellationToken) ? Tag
            : throw new InfrastructureException($"building the network sidecar image {Tag} failed: {errors.ToString().Trim()}");
    }

    private static async Task<bool> ExistsAsync(DockerEngine engine, string image, CancellationToken cancellationToken)
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
}
