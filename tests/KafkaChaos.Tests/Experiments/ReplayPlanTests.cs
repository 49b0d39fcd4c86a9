using KafkaChaos.Experiments;
using KafkaChaos.Experiments.Replay;
using KafkaChaos.Faults;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

/// <summary>A recorded schedule turned back into a plan: the same settings and seed, each applied fault at its real time on its recorded broker, or by role.</summary>
public class ReplayPlanTests : TemporaryDirectoryTest
{
    private static ReplaySchedule Recorded(int brokers = 3) => new(ReplaySchedule.CurrentSchemaVersion, "acks[producer.acks=1]", "0.9.0.1", "kafka-chaos/kafka:0.9.0.1-x", brokers, 1234,
        1_765_000_000_000, Settings(ExperimentSpec.Default with { Producer = new Dictionary<string, string>(ExperimentSpec.Default.Producer) { ["acks"] = "1" } }),
        [
            new(FaultKinds.KillLeader, new Dictionary<string, string> { ["partition"] = "0", ["duration"] = "3s" }, 1.5, 2, "broker-2 (c2)", 1.512, 2.3, 5.4),
            new(FaultKinds.PauseBroker, new Dictionary<string, string> { ["duration"] = "2s" }, 8, 3, "broker-3 (c3)", 8.004, 8.9, 10.9),
            new(FaultKinds.IsolateLeader, new Dictionary<string, string> { ["partition"] = "1", ["duration"] = "4s" }, 12, 1, "broker-1 (c1)", 12.01, 18.2, 22.3),
            new(FaultKinds.KillBroker, new Dictionary<string, string> { ["broker"] = "1", ["duration"] = "1s" }, 60, null, null, null, null, null),
        ]);

    [Test]
    public void ByBrokerId_KillsByRoleBecomeKillsOfTheRecordedBroker_AndNamedBrokersArePinned()
    {
        var plan = ReplayPlan.Of(Recorded(), "s.json", 1, byRole: false, out var notes);

        var spec = plan.Cells.Single().Spec;
        Assert.That(spec.Faults.Select(f => (f.Kind, f.Broker, f.When.At.TotalSeconds, f.Duration.TotalSeconds)), Is.EqualTo(new[]
        {
            (FaultKinds.KillBroker, (int?)2, 1.512, 3.0),
            (FaultKinds.PauseBroker, (int?)3, 8.004, 2.0),
            (FaultKinds.IsolateLeader, (int?)null, 12.01, 4.0),
        }), "each applied fault at the time it was really applied; the one never applied is left out");
        Assert.That(spec.Faults[2].Partition, Is.EqualTo(1), "a fault with no broker-pinned form keeps its role");
        Assert.That(notes, Is.EqualTo(new[]
        {
            "fault 1: kill-leader hit broker 2; replayed as kill-broker on broker 2 at 1.512 s",
            "fault 2: pause-broker on broker 3 at 8.004 s, as recorded",
            "fault 3: isolate-leader at 12.01 s, its target resolved again (it has no form pinned to one broker)",
            "fault 4 (kill-broker): never applied when recorded; left out",
        }));
        Assert.That((spec.Seed, spec.Producer["acks"], plan.Image, plan.Version), Is.EqualTo(((int?)1234, "1", "kafka-chaos/kafka:0.9.0.1-x", "0.9.0.1")), "the same seed, settings and broker");
    }

    [Test]
    public void ByRole_KeepsEveryKindAndItsOptions_AndRepetitionsAreNumbered()
    {
        var plan = ReplayPlan.Of(Recorded(), "s.json", 3, byRole: true, out _);

        Assert.That(plan.Cells.Select(c => c.Name), Is.EqualTo(new[] { "replay-acks[producer.acks=1]#1", "replay-acks[producer.acks=1]#2", "replay-acks[producer.acks=1]#3" }));
        Assert.That(plan.Cells[0].Spec.Faults.Select(f => (f.Kind, f.Partition, f.Broker)), Is.EqualTo(new[]
        {
            (FaultKinds.KillLeader, (int?)0, (int?)null), (FaultKinds.PauseBroker, null, null), (FaultKinds.IsolateLeader, 1, null),
        }));
    }

    [Test]
    public void ASchedule_WhoseBrokersDisagreeWithItsSettings_IsRefused()
    {
        Assert.That(() => ReplayPlan.Of(Recorded(brokers: 5), "s.json", 1, false, out _), Throws.TypeOf<ExperimentConfigException>()
            .With.Message.EqualTo("s.json: recorded on 5 broker(s), but its settings give cluster.brokers 3; the schedule is damaged"));
    }

    [Test]
    public void Read_OfAMissingOrDamagedSchedule_NamesTheFile()
    {
        var damaged = Directory.CreateDirectory(Path.Combine(TestDirectory, "damaged")).FullName;
        File.WriteAllText(Path.Combine(damaged, ReplaySchedule.FileName), "{\"schema_version\": 1, \"cell\": ");

        Assert.That(() => ReplaySchedule.Read(TestDirectory), Throws.TypeOf<ExperimentConfigException>().With.Message.StartsWith($"{Path.Combine(TestDirectory, "schedule.json")}: not found"));
        Assert.That(() => ReplaySchedule.Read(damaged), Throws.TypeOf<ExperimentConfigException>().With.Message.StartsWith($"{Path.Combine(damaged, "schedule.json")}: damaged"));
    }

    [Test]
    public void ASchedule_WrittenAndRead_IsTheSame()
    {
        var recorded = Recorded();
        recorded.Write(TestDirectory);

        var read = ReplaySchedule.Read(TestDirectory);

        Assert.That(read with { Settings = recorded.Settings, Faults = recorded.Faults }, Is.EqualTo(recorded));
        Assert.That(read.Settings, Is.EquivalentTo(recorded.Settings));
        Assert.That(read.Faults.Select(f => (f.Kind, f.Broker, f.AppliedSeconds, f.Options.Count)), Is.EqualTo(recorded.Faults.Select(f => (f.Kind, f.Broker, f.AppliedSeconds, f.Options.Count))));
    }

    private static Dictionary<string, string> Settings(ExperimentSpec spec) =>
        spec.Describe().Where(s => SettingCatalog.IsKnown(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
}
