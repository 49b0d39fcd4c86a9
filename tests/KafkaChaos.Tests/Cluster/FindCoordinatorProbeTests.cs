using System.Buffers.Binary;
using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

/// <summary>FindCoordinator's bytes, version 0 (GroupCoordinator, 0.9) and version 1 (0.11 to 4.x), as Kafka's protocol guide lays them out.</summary>
public class FindCoordinatorProbeTests
{
    [Test]
    public void Request_V0_IsHeaderThenGroupId()
    {
        var bytes = FindCoordinatorProbe.Request("g1", 0, correlationId: 7);

        Assert.That(Convert.ToHexString(bytes), Is.EqualTo(
            "00000019" + "000A" + "0000" + "00000007" + "000B" + Convert.ToHexString("kafka-chaos"u8) + "0002" + Convert.ToHexString("g1"u8)));
    }

    [Test]
    public void Request_V1_AddsTheKeyTypeOfAGroup()
    {
        var bytes = FindCoordinatorProbe.Request("g1", 1, correlationId: 7);

        Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes), Is.EqualTo(bytes.Length - 4));
        Assert.That(BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(6)), Is.EqualTo(1));
        Assert.That(bytes[^1], Is.Zero, "key_type 0: a group");
    }

    [Test]
    public void Parse_V0Answer_GivesNodeHostAndPort()
    {
        var answer = Body(7, v1: false, error: 0, message: null, node: 2, host: "10.0.0.12", port: 9092);

        Assert.That(FindCoordinatorProbe.Parse(answer, 0, 7), Is.EqualTo((2, "10.0.0.12", 9092)));
    }

    [Test]
    public void Parse_V1Answer_SkipsThrottleAndMessage()
    {
        Assert.That(FindCoordinatorProbe.Parse(Body(7, v1: true, error: 0, message: "NONE", node: 3, host: "kafka-3", port: 19092), 1, 7),
            Is.EqualTo((3, "kafka-3", 19092)));
        Assert.That(FindCoordinatorProbe.Parse(Body(7, v1: true, error: 0, message: null, node: 1, host: "h", port: 1), 1, 7), Is.EqualTo((1, "h", 1)));
    }

    [TestCase(15, 7)] // COORDINATOR_NOT_AVAILABLE
    [TestCase(0, 8)] // another request's answer
    public void Parse_ErrorOrOtherCorrelation_IsNull(short error, int correlation) =>
        Assert.That(FindCoordinatorProbe.Parse(Body(correlation, v1: true, error, null, 1, "h", 1), 1, 7), Is.Null);

    [Test]
    public void Parse_Truncated_IsNull() =>
        Assert.That(FindCoordinatorProbe.Parse(Body(7, v1: false, 0, null, 1, "host", 9092)[..10], 0, 7), Is.Null);

    private static byte[] Body(int correlation, bool v1, short error, string? message, int node, string host, int port)
    {
        using var stream = new MemoryStream();
        void Int32(int v) { var b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); stream.Write(b); }
        void Int16(short v) { var b = new byte[2]; BinaryPrimitives.WriteInt16BigEndian(b, v); stream.Write(b); }
        void Text(string? v)
        {
            Int16((short)(v?.Length ?? -1));
            if (v is not null)
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(v));
            }
        }

        Int32(correlation);
        if (v1)
        {
            Int32(0);
        }

        Int16(error);
        if (v1)
        {
            Text(message);
        }

        Int32(node);
        Text(host);
        Int32(port);
        return stream.ToArray();
    }
}
