using System.Formats.Tar;
using System.Text;
using Docker.DotNet.Models;
using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// The tool reads images it did not build by looking into them, on a real engine: images laid out as
/// bitnami/kafka and confluentinc/cp-kafka lay out their distribution (built here from the project's base
/// image, with the files in the places those projects use and nothing else), and one with no Kafka at all.
/// What the tool says is held to the files the test put there; the throwaway probe container is gone after.
/// </summary>
[Category("Cluster")]
public class ImageLayoutTests
{
    private const string Run = "layout-test";
    private readonly List<string> _images = [];

    [OneTimeTearDown]
    public async Task RemoveImages()
    {
        foreach (var image in _images)
        {
            await ClusterEnvironment.Engine.Client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true });
        }
    }

    [TestCase("bitnami", "/opt/bitnami/kafka/bin/kafka-server-start.sh", "/opt/bitnami/kafka/libs/kafka_2.13-3.7.0.jar", "bitnami/kafka", "3.7.0")]
    [TestCase("confluent", "/usr/bin/kafka-server-start", "/usr/share/java/kafka/kafka_2.13-7.6.1-ccs.jar", "confluentinc/cp-kafka", "3.6.0")]
    [TestCase("apache", "/opt/kafka/bin/kafka-server-start.sh", "/opt/kafka/libs/kafka_2.13-4.1.0.jar", "apache/kafka", "4.1.0")]
    public async Task InspectAsync_ImageLaidOutLikeAKnownProject_GivesItsLayoutAndTheJarsVersion(string name, string script, string jar, string layout, string version)
    {
        var image = await BuildAsync(name, script, jar);

        var inspected = await new BrokerImageInspector(ClusterEnvironment.Engine).InspectAsync(image, CancellationToken.None);

        Assert.That((inspected.Layout.Name, inspected.Version.ToString()), Is.EqualTo((layout, version)));
        Assert.That(inspected.Layout.Script("kafka-server-start"), Is.EqualTo(script), "the start script the test put there");
        Assert.That(inspected.HasIptables, Is.True, "the project's base image has iptables");
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)), "the probe container is removed");
    }

    [Test]
    public async Task Run_ImageWithNoKafka_IsExit2NamingItAndLeavesNothing()
    {
        var image = await BuildAsync("nokafka", "/opt/kafka/bin/kafka-console-producer.sh", "/opt/kafka/libs/kafka-clients-4.1.0.jar");
        var runs = Path.Combine(Path.GetTempPath(), "kafka-chaos-layout-" + Guid.NewGuid().ToString("N"));

        var (exitCode, _, error) = await CliProcess.RunAsync("run", "--image", image, "--runs-dir", runs);

        Assert.That(exitCode, Is.EqualTo(2), error);
        Assert.That(error.Trim().Split('\n').Last(), Does.StartWith($"kafka-chaos: config error: image '{image}' has no Kafka in it"));
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
        Assert.That(Directory.Exists(runs) ? Directory.EnumerateFileSystemEntries(runs) : [], Is.Empty, "no run directory");
    }

    [Test]
    public async Task InspectAsync_ImageTheToolBuilt_ReadsItsLabelWithoutAProbe()
    {
        var inspected = await new BrokerImageInspector(ClusterEnvironment.Engine).InspectAsync(ClusterEnvironment.Image, CancellationToken.None);

        Assert.That(inspected.Layout, Is.EqualTo(KafkaImageLayout.ToolBuilt));
        Assert.That(inspected.Version, Is.EqualTo(ClusterEnvironment.Version));
    }

    /// <summary>The project's base image with the two files, empty, at those paths.</summary>
    private async Task<string> BuildAsync(string name, string script, string jar)
    {
        var tag = $"kafka-chaos/layout-test-{name}:1";
        var dockerfile = $"FROM {BrokerImageBuilder.DefaultBaseImage}\nCOPY files/ /\n";
        using var context = new MemoryStream();
        using (var tar = new TarWriter(context, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) });
            foreach (var file in new[] { script, jar })
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "files" + file) { DataStream = new MemoryStream([]), Mode = (UnixFileMode)0b111_101_101 });
            }
        }

        context.Position = 0;
        await ClusterEnvironment.Engine.Client.Images.BuildImageFromDockerfileAsync(new ImageBuildParameters
        {
            Tags = [tag],
            Labels = new Dictionary<string, string> { [ResourceLabels.Run] = Run },
            Remove = true,
            ForceRemove = true,
        }, context, null, null, new Progress<JSONMessage>(), CancellationToken.None);
        _images.Add(tag);
        return tag;
    }
}
