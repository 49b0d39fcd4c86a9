using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

public class KafkaVersionTests
{
    [TestCase("0.9.0.1", "0.10.2.0")]
    [TestCase("0.10.2.1", "0.11.0")]
    [TestCase("2.8.2", "3.9.0")]
    [TestCase("3.9.0", "4.0.0")]
    public void CompareTo_IsNumericNotTextual(string lower, string higher)
    {
        Assert.That(KafkaVersion.Parse(lower) < KafkaVersion.Parse(higher), Is.True);
    }

    [TestCase("latest")]
    [TestCase("3")]
    [TestCase("3.x.0")]
    [TestCase("")]
    public void TryParse_NotAVersion_IsRejected(string text)
    {
        Assert.That(KafkaVersion.TryParse(text, out _), Is.False);
    }

    [Test]
    public void FeatureGates_FollowTheReleasesThatIntroducedThem()
    {
        var v09 = KafkaVersion.Parse("0.9.0.1");
        var v0101 = KafkaVersion.Parse("0.10.1.0");
        var v011 = KafkaVersion.Parse("0.11.0.0");

        Assert.That((v09.HasApiVersionsRequest, v09.HasCreateTopicsApi, v09.HasIdempotentProducer), Is.EqualTo((false, false, false)));
        Assert.That((v0101.HasApiVersionsRequest, v0101.HasCreateTopicsApi, v0101.HasIdempotentProducer), Is.EqualTo((true, true, false)));
        Assert.That(v011.HasIdempotentProducer, Is.True);
    }

    [Test]
    public void ClientSettings_ForKafka09_DisableApiVersionRequestAndPinFallback()
    {
        var settings = ClientCompatibility.SettingsFor(KafkaVersion.Parse("0.9.0.1"));

        Assert.That(settings["api.version.request"], Is.EqualTo("false"));
        Assert.That(settings["broker.version.fallback"], Is.EqualTo("0.9.0"));
        Assert.That(ClientCompatibility.MaxSessionTimeout(KafkaVersion.Parse("0.9.0.1")), Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void ClientSettings_ForModernKafka_AreEmpty()
    {
        Assert.That(ClientCompatibility.SettingsFor(KafkaVersion.Parse("3.9.0")), Is.Empty);
    }
}
