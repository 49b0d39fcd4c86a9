using KafkaChaos.ClusterTests;
using NUnit.Framework;

namespace KafkaChaos.Tests;

/// <summary>
/// Usage and config errors from the built binary: exit 2 and one line that names the option or setting,
/// with the accepted values or a hint to --help; never the help page, a stack trace or a run directory.
/// Each fails before anything is started, so none needs a Docker engine.
/// </summary>
public class CliUsageTests : TemporaryDirectoryTest
{
    [TestCase(new string[0], "give a command")]
    [TestCase(new[] { "run", "--acks", "2" }, "'2'")]
    [TestCase(new[] { "run", "--fault", "explode" }, "'explode'")]
    [TestCase(new[] { "run", "--fault-at", "abc" }, "'abc'")]
    [TestCase(new[] { "run", "--mesages", "100" }, "did you mean --messages?")]
    [TestCase(new[] { "run", "--rate", "--commit", "0" }, "--rate: '--commit' is not a value of workload.rate; expected a number 0..10000000")]
    [TestCase(new[] { "replay", "no-such-cell" }, "no-such-cell/schedule.json: not found; replay takes a cell directory of a run")]
    [TestCase(new[] { "replay", "no-such-cell", "--repetitions", "0" }, "--repetitions: '0' is not a whole number 1..100")]
    [TestCase(new[] { "shrink", "no-such-cell", "--anomaly", "sent" }, "--anomaly: 'sent' is not an anomaly count; one of lost, ")]
    [TestCase(new[] { "shrink", "no-such-cell", "--anomaly", "lost", "--repetitions", "3", "--at-least", "4" }, "--repetitions 3 --at-least 4: need 1 <= at-least <= repetitions <= 20")]
    [TestCase(new[] { "shrink", "no-such-cell", "--anomaly", "lost", "--budget", "soon" }, "--budget: 'soon' is not a duration such as 30m or 2h")]
    [TestCase(new[] { "shrink", "no-such-cell", "--anomaly", "lost" }, "no-such-cell/schedule.json: not found")]
    [TestCase(new[] { "run", "--shard", "3/2" }, "--shard: '3/2' is not a shard i/n, with 1 <= i <= n <= 256 (e.g. 1/4)")]
    [TestCase(new[] { "check", "--shard", "0/4" }, "--shard: '0/4' is not a shard i/n")]
    [TestCase(new[] { "run", "--batch", "1.5" }, "--batch: '1.5' is not a value of consumer.batch; expected a whole number 1..10000")]
    [TestCase(new[] { "run", "" }, "experiment file: '' is not a path")]
    [TestCase(new[] { "bench", "" }, "bench file: '' is not a path")]
    [TestCase(new[] { "bench-scale", "--partitions", "3,0" }, "--partitions: '0' is not a whole number 1..1000")]
    [TestCase(new[] { "bench-scale", "--messages", "10" }, "--messages: '10' is not a whole number 1000..1000000000")]
    [TestCase(new[] { "bench-scale", "--acks", "2" }, "--acks: '2' is not 0, 1 or all")]
    [TestCase(new[] { "run", "--messages", "-5" }, "--messages: '-5' is not a value of workload.messages; expected a whole number 1..1000000000")]
    [TestCase(new[] { "run", "--replication-factor", "4" }, "--replication-factor: 4 needs between 1 and the 3 brokers")]
    [TestCase(new[] { "run", "--brokers", "2", "--min-insync-replicas", "3" }, "--min-insync-replicas: 3 must be between 1 and the replication factor 2")]
    [TestCase(new[] { "run", "--partitions", "0" }, "--partitions: '0' is not a value of topic.partitions; expected a whole number 1..1000")]
    [TestCase(new[] { "run", "--partitions", "5000" }, "--partitions: '5000' is not a value of topic.partitions; expected a whole number 1..1000")]
    [TestCase(new[] { "run", "--processing-ms", "100000" }, "--processing-ms: '100000' is not a value of consumer.processing_ms; expected a whole number 0..60000")]
    [TestCase(new[] { "run", "--messages", "2000000000" }, "--messages: '2000000000' is not a value of workload.messages; expected a whole number 1..1000000000")]
    [TestCase(new[] { "run", "--rate", "20000000" }, "--rate: '20000000' is not a value of workload.rate; expected a number 0..10000000")]
    [TestCase(new[] { "run", "--broker-config", "a b=1" }, "--broker-config: 'a b' is not a key of letters, digits")]
    [TestCase(new[] { "run", "--producer-config", "acks=2" }, "acks: '2' is not 0, 1 or all")]
    [TestCase(new[] { "run", "--acks", "1", "--producer-config", "acks=all" }, "contradicts --acks 1")]
    [TestCase(new[] { "run", "--producer-config", "message.timeout.ms=soon" }, "--producer-config: message.timeout.ms: 'soon'")]
    [TestCase(new[] { "run", "--producer-config", "message.timeout.ms=5000", "--producer-config", "delivery.timeout.ms=9000" }, "delivery.timeout.ms: '9000' says what message.timeout.ms says")]
    [TestCase(new[] { "run", "experiments/dedup-store.yaml", "--messages", "100" }, "--messages: the experiment file experiments/dedup-store.yaml sets the cluster, topic, workload")]
    [TestCase(new[] { "run", "experiments/dedup-store.yaml", "--partitions", "2" }, "--partitions: the experiment file experiments/dedup-store.yaml sets the cluster, topic")]
    [TestCase(new[] { "run", "--attach", "project", "--bootstrap", "127.0.0.1:9092" }, "--bootstrap: --attach finds the brokers itself; give one of the two")]
    [TestCase(new[] { "run", "--attach", "project", "--keep-cluster" }, "--keep-cluster: --attach runs on a cluster as it is")]
    [TestCase(new[] { "run", "--attach", "project", "--broker-config", "num.io.threads=4" }, "--broker-config: --attach runs on a cluster as it is")]
    [TestCase(new[] { "run", "--attach", "project", "--kafka-version", "three" }, "--kafka-version: 'three' is not a Kafka version")]
    public async Task Run_UsageOrConfigError_IsOneLineAndExit2WithoutARunDirectory(string[] arguments, string expected)
    {
        var runs = Path.Combine(TestDirectory, "runs");

        var (exitCode, output, error) = await CliProcess.RunAsync([.. arguments, .. arguments.Length > 0 ? new[] { "--runs-dir", runs } : []]);

        Assert.That(exitCode, Is.EqualTo(2), error);
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Contain(expected));
        Assert.That(output, Does.Not.Contain("Usage:"), "no help page");
        Assert.That(error, Does.Not.Contain("Exception"));
        Assert.That(Directory.Exists(runs) ? Directory.EnumerateFileSystemEntries(runs) : [], Is.Empty, "nothing written for a run that never started");
    }

    [TestCase("run")]
    [TestCase("bench")]
    [TestCase("bench-scale")]
    [TestCase("check")]
    [TestCase("experiments")]
    [TestCase("verify")]
    [TestCase("cluster", "up")]
    public async Task Help_Piped_FitsIn100Columns(params string[] command)
    {
        var (exitCode, output, _) = await CliProcess.RunAsync([.. command, "--help"]);

        Assert.That(exitCode, Is.Zero);
        Assert.That(output.Split('\n').Where(line => line.TrimEnd().Length > 100), Is.Empty, "the value lists wrap in the descriptions");
    }

    [TestCase("run", "Workload", "Producer", "Consumer", "Fault", "Cluster and topic", "Output")]
    [TestCase("bench", "Sweep (instead of a file)", "Runs", "Cluster", "Output")]
    public async Task Help_GroupsTheOptions_AndShowsEachOnce(string command, params string[] groups)
    {
        var (exitCode, output, _) = await CliProcess.RunAsync(command, "--help");

        Assert.That(exitCode, Is.Zero);
        var headings = output.Split('\n').Where(l => l.EndsWith(" options:", StringComparison.Ordinal)).ToArray();
        Assert.That(headings, Is.EqualTo(groups.Select(g => $"{g} options:").Append("Other options:")));
        var rows = output.Split('\n').Where(l => l.StartsWith("  --", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]).ToList();
        Assert.That(rows, Is.Unique);
        Assert.That(rows, Does.Contain("--fault").And.Contain("--runs-dir"));
    }

    [Test]
    public async Task Check_ShippedExperiment_PrintsItsCellsAndStartsNothing()
    {
        var file = Path.Combine(RepositoryPaths.Root(), "experiments", "high-watermark-truncation.yaml");

        var (exitCode, output, error) = await CliProcess.RunAsync("check", file);

        Assert.That((exitCode, error), Is.EqualTo((0, "")));
        Assert.That(output, Does.Contain("high-watermark-truncation, 5 cell(s)"));
        Assert.That(output, Does.Contain("expect lost > 0 in at least 1 of the repetitions on Kafka <0.11"));
    }

    [Test]
    public async Task Check_BadFile_IsOneLineAndExit2()
    {
        var file = Path.Combine(TestDirectory, "bad.yaml");
        await File.WriteAllTextAsync(file, "faults: [ { kind: kill-leader-ahead, lag: 20s } ]\n");

        var (exitCode, _, error) = await CliProcess.RunAsync("check", file);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.Contain("faults[0].lag: 20 s must be below replica.lag.time.max.ms").And.Not.Contain("\n"));
    }

    [Test]
    public async Task Experiments_ListsEveryShippedFileWithItsClaim()
    {
        var directory = Path.Combine(RepositoryPaths.Root(), "experiments");

        var (exitCode, output, _) = await CliProcess.RunAsync("experiments", directory);

        Assert.That(exitCode, Is.Zero);
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml"))
        {
            Assert.That(output, Does.Contain(Path.GetFileName(file)));
        }
    }

    [Test]
    public async Task ImageBuild_EmptyDistribution_IsAUsageError()
    {
        var (exitCode, _, error) = await CliProcess.RunAsync("image", "build", "--dist", "");

        Assert.That((exitCode, error.Trim()), Is.EqualTo((2, "kafka-chaos: config error: --dist: '' is not a path to a Kafka distribution")));
    }

    [Test]
    public async Task ImageBuild_MissingDistribution_BlamesTheFlagGiven()
    {
        var missing = Path.Combine(TestDirectory, "no-such-kafka");

        var (exitCode, output, error) = await CliProcess.RunAsync("image", "build", "--dist", missing);

        Assert.That(exitCode, Is.EqualTo(2), error);
        Assert.That(error.Trim(), Is.EqualTo($"kafka-chaos: config error: --dist={missing}: no such file or folder"));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public async Task Run_UnknownOption_PointsToTheCommandsHelp()
    {
        var (exitCode, _, error) = await CliProcess.RunAsync("run", "--no-such-option", "1");

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.Trim(), Is.EqualTo("kafka-chaos run: unknown option '--no-such-option'; see 'kafka-chaos run --help'"));
    }
}
