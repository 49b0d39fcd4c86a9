using KafkaChaos.ClusterTests;
using NUnit.Framework;

namespace KafkaChaos.Tests;

/// <summary>
/// <c>kafka-chaos new</c>: the file it writes from run's flags must resolve, under <c>check</c>, to exactly what the
/// flags resolve to; and it never overwrites a file or takes a flag of where a run goes.
/// </summary>
public class NewCommandTests : TemporaryDirectoryTest
{
    [TestCase("--acks", "1", "--duration", "5s", "--fault", "kill-leader", "--partition", "1", "--broker-config", "unclean.leader.election.enable=true", "--producer-config", "linger.ms=20")]
    [TestCase("--fault", "restart-consumer", "--crash-point", "after-commit", "--commit", "commit-before-process", "--batch", "10", "--keys", "random", "--seed", "7")]
    [TestCase("--fault", "net-loss", "--loss-percent", "30", "--broker", "2", "--fault-at", "2s", "--fault-every", "10s", "--fault-count", "3", "--messages", "5000")]
    [TestCase("--fault", "none", "--partitions", "6", "--brokers", "5", "--replication-factor", "3", "--consumers", "3", "--processing", "worker-queue")]
    public async Task TheFileItWrites_ChecksToWhatTheFlagsCheckTo(params string[] flags)
    {
        var path = Path.Combine(TestDirectory, "incident.yaml");

        var written = await CliProcess.RunAsync(["new", path, .. flags]);
        var fromFlags = await CliProcess.RunAsync(["check", .. flags]);
        var fromFile = await CliProcess.RunAsync("check", path);

        Assert.That((written.ExitCode, fromFlags.ExitCode, fromFile.ExitCode), Is.EqualTo((0, 0, 0)), written.Error + fromFlags.Error + fromFile.Error);
        Assert.That(File.ReadAllText(path), Does.StartWith("# Written by: kafka-chaos new "));
        Assert.That(Settings(fromFlags.Output), Has.Count.GreaterThan(25), "check printed every setting");
        Assert.That(Settings(fromFile.Output), Is.EqualTo(Settings(fromFlags.Output)), "the file and the flags resolve to the same settings and faults");
    }

    [Test]
    public async Task New_RefusesToOverwrite_ATargetFlag_AndAMissingPath_WithExitTwo()
    {
        var existing = Path.Combine(TestDirectory, "existing.yaml");
        File.WriteAllText(existing, "name: mine\n");

        foreach (var (arguments, expected) in new (string[], string)[]
        {
            (["new", existing, "--acks", "1"], $"{existing}: exists; give a new file name (new never overwrites)"),
            (["new", Path.Combine(TestDirectory, "x.yaml"), "--image", "kafka-chaos/kafka:x"], "--image: new writes the experiment, not where it runs; pass --image to run"),
            (["new"], "new: give the file to write"),
            (["new", Path.Combine(TestDirectory, "y.yaml"), "--acks", "2"], "'2'"),
        })
        {
            var (exitCode, _, error) = await CliProcess.RunAsync(arguments);
            Assert.That(exitCode, Is.EqualTo(2), error);
            Assert.That(error, Does.Contain(expected));
        }

        Assert.That(File.ReadAllText(existing), Is.EqualTo("name: mine\n"), "left as it was");
        Assert.That(File.Exists(Path.Combine(TestDirectory, "x.yaml")) || File.Exists(Path.Combine(TestDirectory, "y.yaml")), Is.False, "nothing written for bad input");
    }

    /// <summary>check's resolved settings and faults, without the lines that name the experiment.</summary>
    private static List<string> Settings(string output) =>
        [.. output.Split('\n').Select(l => l.Trim()).Where(l => (l.Contains('=', StringComparison.Ordinal) || l.StartsWith("fault:", StringComparison.Ordinal)) && !l.StartsWith("name=", StringComparison.Ordinal))];
}
