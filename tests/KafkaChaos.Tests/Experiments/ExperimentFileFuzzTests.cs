using CsCheck;
using KafkaChaos.Experiments;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

/// <summary>
/// Generated malformed experiment files: mutations of the shipped ones and random YAML-ish text. Every
/// one is either accepted or rejected with an <see cref="ExperimentConfigException"/> whose message
/// is one line naming the file; nothing else may escape (no parser exception, no overflow, no crash).
/// </summary>
public class ExperimentFileFuzzTests
{
    private const string Seed = """
        name: fuzz
        cluster: { brokers: 3 }
        topic: { partitions: 3, replication_factor: 3, min_insync_replicas: 2 }
        workload: { messages: 1000, rate: 100, message_size: 256, keys: none }
        producer: { acks: all, retries: 5 }
        broker: { unclean.leader.election.enable: "false" }
        consumer: { commit: process-then-commit-sync, batch: 10, dedup: true }
        faults:
          - { kind: kill-leader, partition: 0, at: 2s, duration: 5s }
          - { kind: net-loss, all_brokers: true, loss_percent: 20, window: [1s, 9s], count: 2 }
        matrix:
          producer.acks: ["1", all]
        exclude:
          - { producer.acks: "1" }
        expectations:
          - when: { producer.acks: all }
            expect: { lost: 0, redeliveries: ">0" }
        """;

    private static readonly string[] Fragments =
    [
        "\t", ":", "- ", "{", "}", "[", "]", "\"", "'", "&a", "*a", "!!binary", "<<: *a", "? ", "|", ">", "#", "\n", "  ", "%YAML 1.2\n---\n",
        "-1", "1e400", ".nan", ".inf", "99999999999999999999", "0x10", "~", "null", "true", "../../etc/passwd", "\u202e", "\0", "é", "💥",
        "brokers", "kind", "matrix", "expect", "when", "faults", "window", "at", "every", "count", "duration", "name", "producer.acks",
    ];

    private static void AssertCleanOutcome(string text)
    {
        try
        {
            ExperimentFile.Parse("fuzz.yaml", text);
        }
        catch (ExperimentConfigException e)
        {
            Assert.That(e.Message, Does.StartWith("fuzz.yaml"), text);
            Assert.That(e.Message, Does.Not.Contain("\n").And.Not.Contain("\r"), text);
        }
    }

    [Test]
    public void Parse_MutatedExperiment_IsAcceptedOrRejectedCleanly()
    {
        Gen.Select(Gen.Int[0, Seed.Length], Gen.Int[0, 20], Gen.Int[0, Fragments.Length - 1], Gen.Int[0, 2])
            .Array[1, 8]
            .Sample(mutations =>
            {
                var text = Seed;
                foreach (var (at, length, fragment, kind) in mutations)
                {
                    var position = Math.Min(at, text.Length);
                    var cut = Math.Min(length, text.Length - position);
                    text = kind switch
                    {
                        0 => text.Remove(position, cut),
                        1 => text.Insert(position, Fragments[fragment]),
                        _ => text.Remove(position, cut).Insert(position, Fragments[fragment]),
                    };
                }

                AssertCleanOutcome(text);
            }, iter: 3000);
    }

    [Test]
    public void Parse_RandomText_IsAcceptedOrRejectedCleanly()
    {
        Gen.OneOf(Gen.String, Gen.Int[0, Fragments.Length - 1].Array[0, 60].Select(picks => string.Concat(picks.Select(p => Fragments[p]))))
            .Sample(AssertCleanOutcome, iter: 3000);
    }

    [Test]
    public void Parse_DeepNesting_IsRejectedCleanly()
    {
        var deep = "cluster: " + new string('[', 5000) + new string(']', 5000) + "\n";
        var nestedMaps = "cluster:\n" + string.Concat(Enumerable.Range(1, 300).Select(i => new string(' ', i * 2) + $"k{i}:\n"));

        AssertCleanOutcome(deep);
        AssertCleanOutcome(nestedMaps);
    }
}
