using KafkaChaos.ClusterTests;
using KafkaChaos.Experiments;
using KafkaChaos.Experiments.Settings;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

/// <summary>
/// Every setting with a descriptor, walked: an experiment file and the command-line flag give the same
/// default, take the same values and refuse the same ones, each with one line that names the key or the
/// flag and the value.
/// </summary>
public class SettingDescriptorTests : TemporaryDirectoryTest
{
    private static readonly string[] BadValues = ["", "AUTO", "2", "seven", "kraft ", "combined,3"];

    private static IEnumerable<SettingDescriptor> Descriptors() => ClusterSettings.All;

    private static ExperimentSpec FileSpec(string? line) =>
        ExperimentFile.Parse("walk.yaml", line is null ? "name: walk\n" : $"name: walk\ncluster:\n  {line}\n").Cells.Single().Spec;

    [TestCaseSource(nameof(Descriptors))]
    public void Default_FileWithoutTheKey_DescribesTheDescriptorsDefault(SettingDescriptor setting)
    {
        var described = FileSpec(null).Describe();

        Assert.That(described[setting.Key], Is.EqualTo(setting.DefaultText));
        Assert.That(SettingCatalog.Fixed[setting.Key], Is.EqualTo(setting.Doc), "the catalog's doc is the descriptor's");
    }

    [Test]
    public void Values_EveryValueTheParserTakes_RoundTripsThroughAFile()
    {
        foreach (var text in new[] { "auto", "kraft", "zookeeper" })
        {
            Assert.That(FileSpec($"mode: {text}").Describe()["cluster.mode"], Is.EqualTo(text));
        }

        foreach (var text in new[] { "auto", "combined", "1", "3", "5" })
        {
            Assert.That(FileSpec($"controllers: '{text}'").Describe()["cluster.controllers"], Is.EqualTo(text));
        }
    }

    [TestCaseSource(nameof(Descriptors))]
    public void BadValue_FileRefusesWhatTheParserRefuses(SettingDescriptor setting)
    {
        foreach (var bad in BadValues.Where(v => setting.Problem(v) is not null))
        {
            var error = Assert.Throws<ExperimentConfigException>(() => FileSpec($"{setting.Key.Split('.')[1]}: '{bad}'"))!;

            Assert.That(error.Message, Does.Contain($"key '{setting.Key}' has value '{bad}'; expected {setting.Expected}"));
        }
    }

    [TestCaseSource(nameof(Descriptors))]
    public async Task BadValue_FlagRefusesTheSameValuesWithExit2(SettingDescriptor setting)
    {
        var runs = Path.Combine(TestDirectory, "runs");
        foreach (var bad in BadValues.Where(v => setting.Problem(v) is not null && v.Length > 0))
        {
            var (exitCode, _, error) = await CliProcess.RunAsync("run", setting.Flag, bad, "--runs-dir", runs);

            Assert.That(exitCode, Is.EqualTo(2), error);
            Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.Contain($"{setting.Flag}: '{bad}' is not a value of {setting.Key}; expected {setting.Expected}"));
        }

        Assert.That(Directory.Exists(runs), Is.False, "nothing written for a run that never started");
    }

    [TestCase("kill-leader", 0)]
    [TestCase("isolate-leader", 0)]
    [TestCase("kill-leader-ahead", 0)]
    [TestCase("kill-broker", null)]
    public void FaultDefaults_AFileAndTheFlagsHoldAFaultAlikeAndAimAlike(string kind, int? partition)
    {
        var fault = ExperimentFile.Parse("f.yaml", $"name: f\nfaults:\n  - {{ kind: {kind} }}\n").Cells.Single().Spec.Faults.Single();

        // The same defaults --fault-at and --fault-duration show in 'run --help', and --partition's "default: 0".
        Assert.That((fault.When.At, fault.Duration), Is.EqualTo((KafkaChaos.Faults.FaultSpec.DefaultAt, KafkaChaos.Faults.FaultSpec.DefaultDuration)));
        Assert.That(fault.Duration, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(fault.EffectivePartition, Is.EqualTo(partition));
    }

    [Test]
    public async Task FaultDefaults_RunHelpShowsTheSameSeconds()
    {
        var (_, output, _) = await CliProcess.RunAsync("run", "--help");
        var help = string.Join(' ', output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));

        Assert.That(help, Does.Contain($"--fault-at <fault-at> seconds into the workload when the fault fires [default: {KafkaChaos.Faults.FaultSpec.DefaultAt.TotalSeconds}]"));
        Assert.That(help, Does.Match($@"--fault-duration <fault-duration> .*?\[default: {KafkaChaos.Faults.FaultSpec.DefaultDuration.TotalSeconds}\]"));
    }

    [Test]
    public void RandomPartition_InAFile_DrawsFromTheSeed()
    {
        var fault = ExperimentFile.Parse("f.yaml", "name: f\nfaults:\n  - { kind: kill-leader, partition: random }\n").Cells.Single().Spec.Faults.Single();

        Assert.That((fault.RandomPartition, fault.EffectivePartition), Is.EqualTo((true, (int?)null)));
        Assert.That(fault.Describe(), Does.StartWith("kill-leader partition random"));
    }

    [Test]
    public async Task BrokerSetting_LongerThan1000Characters_IsRefusedByTheFlagAsByAFile()
    {
        var value = new string('x', 1001);
        var file = Assert.Throws<ExperimentConfigException>(() => ExperimentFile.Parse("b.yaml", $"name: b\nbroker:\n  log.cleaner.foo: {value}\n"))!;
        var (exitCode, _, error) = await CliProcess.RunAsync("run", "--broker-config", $"log.cleaner.foo={value}", "--runs-dir", Path.Combine(TestDirectory, "runs"));

        Assert.That(file.Message, Does.Contain(SettingCatalog.PassThroughForm));
        Assert.That(exitCode, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain($"--broker-config: 'log.cleaner.foo' is not {SettingCatalog.PassThroughForm}"));
    }

    [Test]
    public void BadValues_AreRefusedByEveryDescriptor()
    {
        // The walk above means something only if the bad values are bad for each setting.
        foreach (var setting in Descriptors())
        {
            Assert.That(BadValues.Count(v => setting.Problem(v) is not null), Is.GreaterThanOrEqualTo(5), setting.Key);
        }
    }
}
