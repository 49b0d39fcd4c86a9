using Confluent.Kafka;
using KafkaChaos.Cluster;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// The real <c>kafka-chaos cluster</c> commands as a user runs them: up (and a client connecting to the
/// servers it prints), status, SIGTERM, SIGKILL in the middle of up and the sweep after it, bad input.
/// </summary>
[Category("Cluster")]
[NonParallelizable]
public class ClusterCommandTests
{

    [Test]
    public async Task Up_PrintsServersAClientCanUse_StatusListsIt_AndSigtermRemovesIt()
    {
        using var up = CliProcess.Start("cluster", "up", "--brokers", "1", "--image", ClusterEnvironment.Image);
        var stderr = up.StandardError.ReadToEndAsync();
        string? bootstrap = null;
        while (await up.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2), TimeProvider.System) is { } line)
        {
            TestContext.Progress.WriteLine(line);
            if (line.StartsWith("bootstrap servers: ", StringComparison.Ordinal))
            {
                bootstrap = line["bootstrap servers: ".Length..];
            }

            if (line.StartsWith("press Ctrl-C", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.That(bootstrap, Is.Not.Null, await Task.WhenAny(stderr, Task.Delay(TimeSpan.FromMilliseconds(1000), TimeProvider.System)) == stderr ? stderr.Result : "");
        var settings = new Dictionary<string, string>(ClientCompatibility.SettingsFor(ClusterEnvironment.Version)) { ["bootstrap.servers"] = bootstrap! };
        using (var admin = new AdminClientBuilder(settings).Build())
        {
            Assert.That(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => b.BrokerId), Is.EqualTo(new[] { 1 }));
        }

        var status = await CliProcess.RunAsync("cluster", "status");
        Assert.That(status.Output, Does.Contain("broker").And.Contain("alive"));

        await CliProcess.SignalAsync(up, "TERM");
        await up.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System);
        Assert.That(up.ExitCode, Is.Zero);
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task Up_KilledWithSigkillMidStart_LeavesStaleResourcesThatTheNextStartSweeps()
    {
        using var up = CliProcess.Start("cluster", "up", "--brokers", "3", "--image", ClusterEnvironment.Image);
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(1);
        while ((await ClusterEnvironment.LabelledAsync()).Containers < 2 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        up.Kill(); // SIGKILL: no teardown at all
        await up.WaitForExitAsync();
        var left = await ClusterEnvironment.LabelledAsync();
        Assert.That(left.Containers, Is.GreaterThan(0), "the kill came mid-start");

        var status = await CliProcess.RunAsync("cluster", "status");
        Assert.That(status.Output, Does.Contain("stale"));

        // The next start of the tool sweeps what a dead process left; 'cluster down' (without --all) is that sweep alone.
        var down = await CliProcess.RunAsync("cluster", "down");
        Assert.That(down.ExitCode, Is.Zero);
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    [TestCase(new[] { "cluster", "up", "--brokers", "12" }, "brokers: 12 is out of range 1..9")]
    [TestCase(new[] { "cluster", "up", "--dist", "/nonexistent/kafka" }, "--dist=/nonexistent/kafka: no such file or folder")]
    [TestCase(new[] { "cluster", "down", "nosuch" }, "no kafka-chaos cluster 'nosuch'")]
    [TestCase(new[] { "cluster", "down", "nosuch", "--all" }, "give a cluster id ('nosuch') or --all, not both")]
    [TestCase(new[] { "cluster", "up", "--brokers", "3", "--broker-override", "4:log.flush.interval.messages=1" }, "broker override for broker 4")]
    [TestCase(new[] { "cluster", "up", "--broker-config", "min.insync.replicas=5" }, "min.insync.replicas=5 must be 1..3")]
    [TestCase(new[] { "run", "--fault", "kill-broker", "--broker", "7" }, "broker 7 is out of range")]
    public async Task BadInput_ExitsTwoWithOneLineAndStartsNothing(string[] arguments, string expected)
    {
        var (exitCode, _, error) = await CliProcess.RunAsync(arguments);

        Assert.That(exitCode, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain(expected));
        Assert.That(error.Trim().Split('\n').Count(l => !l.Contains(" building ", StringComparison.Ordinal)), Is.LessThanOrEqualTo(2), "a line or two, no stack trace");
        Assert.That(error, Does.Not.Contain("   at "));
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task Up_ImageTheEngineLacks_IsExit3WithoutPullingAndStartsNothing()
    {
        var (exitCode, _, error) = await CliProcess.RunAsync("cluster", "up", "--image", "kafka-chaos/kafka:no-such-tag");

        Assert.That(exitCode, Is.EqualTo(3), error);
        Assert.That(error.Trim().Split('\n').Last(), Does.Contain("image 'kafka-chaos/kafka:no-such-tag' is not on this engine, and pulling is switched off (KAFKA_CHAOS_PULL=never)"));
        Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
    }

    [TestCase("run")]
    [TestCase("cluster", "up")]
    public async Task KRaftDistributionWithoutItsScripts_IsRefusedBeforeAnythingStarts(params string[] command)
    {
        // A 4.x distribution, as far as the tool can tell one: its broker jar's name; but no bin/ to format and start its nodes with.
        var dist = Directory.CreateTempSubdirectory("kafka-chaos-kafka-4-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dist, "libs"));
            await File.WriteAllBytesAsync(Path.Combine(dist, "libs", "kafka_2.13-4.0.0.jar"), []);

            var (exitCode, _, error) = await CliProcess.RunAsync([.. command, "--dist", dist]);

            Assert.That(exitCode, Is.EqualTo(2), error);
            Assert.That(error, Does.Contain($"--dist={dist}: Kafka 4.0.0 without bin/kafka-server-start.sh, which the tool formats and starts KRaft nodes with"));
            Assert.That(await ClusterEnvironment.LabelledAsync(), Is.EqualTo((0, 0)));
        }
        finally
        {
            Directory.Delete(dist, recursive: true);
        }
    }

    /// <summary>
    /// --bootstrap against a cluster the tool did not start (here one this test starts directly): the
    /// workload runs with a client-side fault, secrets passed as client settings appear in no file the
    /// run writes, and a broker fault is refused before anything starts.
    /// </summary>
    [Test]
    public async Task Run_Bootstrap_AgainstAnExternalCluster_KeepsSecretsOutOfEveryFile()
    {
        await using var external = await KafkaCluster.StartAsync(ClusterEnvironment.Engine,
            new ClusterSpec(ClusterEnvironment.Image, ClusterEnvironment.Version, 3, new Dictionary<string, string>
            {
                ["auto.create.topics.enable"] = "true", ["num.partitions"] = "3", ["default.replication.factor"] = "3",
            }),
            $"external-{Environment.ProcessId}", TestContext.Progress.WriteLine, CancellationToken.None);
        var runs = Directory.CreateTempSubdirectory("kafka-chaos-runs-").FullName;
        try
        {
            var refused = await CliProcess.RunAsync("run", "--bootstrap", external.BootstrapServers, "--kafka-version", "0.9.0.1", "--fault", "kill-leader", "--runs-dir", runs);
            Assert.That(refused.ExitCode, Is.EqualTo(2), refused.Error);
            Assert.That(refused.Error, Does.Contain("acts on brokers"));

            var (exitCode, output, error) = await CliProcess.RunAsync("run", "--bootstrap", external.BootstrapServers, "--kafka-version", "0.9.0.1",
                "--client-config", "sasl.password=hunter2-secret", "--messages", "2000", "--rate", "1000",
                "--commit", "process-then-commit-sync", "--batch", "10", "--fault", "restart-consumer", "--fault-at", "1",
                "--runs-dir", runs);
            TestContext.Progress.WriteLine(output);
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(output + error, Does.Not.Contain("hunter2"));
            var files = Directory.EnumerateFiles(runs, "*", SearchOption.AllDirectories).ToList();
            Assert.That(files, Is.Not.Empty);
            foreach (var file in files)
            {
                Assert.That(File.ReadAllText(file), Does.Not.Contain("hunter2"), file);
            }

            var results = KafkaChaos.Reporting.ResultsJson.Read(ClusterEnvironment.RunDirectoryIn(runs))!;
            var cell = results.Cells.Single();
            Assert.That((cell.Counts.Sent, cell.Counts.Lost, cell.Valid), Is.EqualTo((2000L, 0L, true)));
            Assert.That(cell.Config["client.sasl.password"], Is.EqualTo("***"));
            Assert.That(cell.Config["cluster.bootstrap"], Is.EqualTo(external.BootstrapServers));

            // The user's cluster, read by the test: the run's topic holds each message once, and its group committed it all.
            var plain = PlainTopicRead.Of(external.ClientSettings);
            Assert.That((plain.Distinct.Count, plain.ExtraCopies, plain.Unreadable), Is.EqualTo((2000, cell.Counts.DuplicateWrites, 0L)));
            Assert.That(GroupCommits.Of(external.ClientSettings, plain), Is.EquivalentTo(plain.Ends), "the group committed each partition to its end");
        }
        finally
        {
            Directory.Delete(runs, recursive: true);
        }
    }
}
