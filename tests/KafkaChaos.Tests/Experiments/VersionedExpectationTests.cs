using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

/// <summary>An expectation that holds for some broker versions only, and the lag rule of kill-leader-ahead.</summary>
public sealed class VersionedExpectationTests
{
    private const string Truncation = """
        name: hw
        topic: { partitions: 1, replication_factor: 3, min_insync_replicas: 2 }
        faults:
          - { kind: truncate-to-high-watermark, partition: 0, at: 3s }
        repetitions: 5
        expectations:
          - kafka_version: "<0.11"
            expect: { lost: ">0" }
            at_least: 1
          - kafka_version: ">=0.11"
            expect: { lost: 0 }
        """;

    [TestCase("0.9.0.1", "lost > 0 in at least 1 of the repetitions on Kafka <0.11")]
    [TestCase("0.10.2.1", "lost > 0 in at least 1 of the repetitions on Kafka <0.11")]
    [TestCase("0.11.0", "lost == 0 on Kafka >=0.11")]
    [TestCase("3.9.0", "lost == 0 on Kafka >=0.11")]
    public void KafkaVersion_ChoosesTheBoundThatHoldsForTheBroker(string version, string expected)
    {
        var plan = ExperimentFile.Parse("hw.yaml", Truncation);

        var applicable = plan.Cells[0].Expectations.Where(e => e.AppliesToVersion(KafkaVersion.Parse(version))).Select(e => e.ToString());

        Assert.That(applicable, Is.EqualTo(new[] { expected }));
    }

    [TestCase("0.11")]
    [TestCase("banana")]
    [TestCase("<")]
    public void KafkaVersion_NotABound_IsRefusedWithItsPosition(string bound)
    {
        var yaml = Truncation.Replace("\"<0.11\"", $"\"{bound}\"", StringComparison.Ordinal);

        if (bound == "0.11")
        {
            Assert.That(ExperimentFile.Parse("hw.yaml", yaml).Cells[0].Expectations[0].KafkaVersion, Is.EqualTo(new KafkaVersionBound("==", KafkaVersion.Parse("0.11"))));
            return;
        }

        var error = Assert.Throws<ExperimentConfigException>(() => ExperimentFile.Parse("hw.yaml", yaml));
        Assert.That(error!.Message, Does.StartWith("hw.yaml:7:20: key 'kafka_version' has value '" + bound + "'"));
    }

    [Test]
    public void TruncateToHighWatermark_NeedsTwoFollowers()
    {
        var yaml = Truncation.Replace("replication_factor: 3", "replication_factor: 2", StringComparison.Ordinal);

        var error = Assert.Throws<ExperimentConfigException>(() => ExperimentFile.Parse("hw.yaml", yaml));
        Assert.That(error!.Message, Does.Contain("needs a replication factor of at least 3"));
    }

    [TestCase("3s", null, null)]
    [TestCase("10s", null, "10 s must be below replica.lag.time.max.ms (10000 ms, the lowest default; set it under broker:)")]
    [TestCase("10s", "30000", null)]
    [TestCase("5s", "2000", "5 s must be below replica.lag.time.max.ms (2000 ms)")]
    [TestCase("0s", null, "key 'lag' has value '0s'; expected a duration such as 500ms, 5s or 2m, 0.001..60 s")]
    public void KillLeaderAhead_LagMustKeepTheFollowersInTheIsr(string lag, string? lagLimitMs, string? expected)
    {
        var yaml = $$"""
            name: lag
            topic: { partitions: 1, replication_factor: 3 }
            {{(lagLimitMs is null ? "" : $"broker: {{ replica.lag.time.max.ms: {lagLimitMs} }}")}}
            faults:
              - { kind: kill-leader-ahead, lag: {{lag}} }
            expectations:
              - expect: { phantoms: 0 }
            """;

        if (expected is null)
        {
            Assert.That(ExperimentFile.Parse("lag.yaml", yaml).Cells[0].Spec.Faults[0].Lag, Is.EqualTo(SettingCatalogDuration(lag)));
            return;
        }

        var error = Assert.Throws<ExperimentConfigException>(() => ExperimentFile.Parse("lag.yaml", yaml));
        Assert.That(error!.Message, Does.Contain(expected));
    }

    private static TimeSpan SettingCatalogDuration(string text) => KafkaChaos.Experiments.Settings.SettingKinds.TryParseDuration(text, out var d) ? d : throw new FormatException(text);
}
