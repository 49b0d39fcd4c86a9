using System.Buffers.Binary;
using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

public class ApiVersionsProbeTests
{
    [Test]
    public void OldestRelease_IsTheNewestMarkerTheBrokerServes()
    {
        Assert.That(ApiVersionsProbe.OldestReleaseServing([(0, 0, 2), (18, 0, 0)]), Is.EqualTo(new KafkaVersion(0, 10, 0)));
        Assert.That(ApiVersionsProbe.OldestReleaseServing([(0, 0, 2), (18, 0, 0), (19, 0, 0)]), Is.EqualTo(new KafkaVersion(0, 10, 1)));
        Assert.That(ApiVersionsProbe.OldestReleaseServing([(0, 0, 3), (19, 0, 2), (22, 0, 0), (37, 0, 0)]), Is.EqualTo(new KafkaVersion(1, 0, 0)));
        Assert.That(ApiVersionsProbe.OldestReleaseServing([(0, 0, 9), (44, 0, 1), (60, 0, 0), (66, 0, 0)]), Is.EqualTo(new KafkaVersion(3, 0, 0)));
        Assert.That(ApiVersionsProbe.OldestReleaseServing([(0, 0, 11), (75, 0, 0)]), Is.EqualTo(new KafkaVersion(3, 8, 0)));
    }

    [Test]
    public void OldestRelease_OfABrokerThatNoLongerServesOldProduceRequests_Is4()
    {
        Assert.That(ApiVersionsProbe.OldestReleaseServing([(0, 3, 12), (75, 0, 0)]), Is.EqualTo(new KafkaVersion(4, 0, 0)));
    }

    [Test]
    public void Parse_ReadsEveryEntry_AndRefusesAnotherCorrelationId()
    {
        var body = new byte[10 + (2 * 6)];
        BinaryPrimitives.WriteInt32BigEndian(body, 1);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(6), 2);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(10), 0);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(12), 0);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(14), 9);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(16), 18);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(18), 0);
        BinaryPrimitives.WriteInt16BigEndian(body.AsSpan(20), 3);

        Assert.That(ApiVersionsProbe.Parse(body), Is.EqualTo(new (short, short, short)[] { (0, 0, 9), (18, 0, 3) }));
        BinaryPrimitives.WriteInt32BigEndian(body, 7);
        Assert.That(ApiVersionsProbe.Parse(body), Is.Null);
    }

    [TestCase("0.9.0.1", "0.9.0.1")]
    [TestCase("3.9.1", "3.9.1")]
    [TestCase("7.6.1-ccs", "3.6.0")]
    [TestCase("8.0.0-ccs", "4.0.0")]
    public void JarVersion_OfApacheAndConfluentPlatformJars(string jar, string kafka)
    {
        Assert.That(AttachedCluster.FromJarVersion(jar), Is.EqualTo(KafkaVersion.Parse(kafka)));
    }
}
