using KafkaChaos.ClusterTests;
using KafkaChaos.Tests.Journal;
using NUnit.Framework;

namespace KafkaChaos.Tests;

/// <summary>
/// Generated hostile input to the built binary: random command lines (real options with good and bad
/// values, garbage, options of other commands) and random bytes written into any file of a completed
/// run. Every case must end with a known exit code and at most one line of cause: never a stack trace or
/// a .NET type name, never a run directory for a run that did not start, and never a false loss.
/// No Docker engine is reachable here (DOCKER_HOST points nowhere), so a command line valid enough to
/// start a cluster ends in exit 3 with the one line that says so.
/// </summary>
[Parallelizable(ParallelScope.None)]
public class CliFuzzTests : TemporaryDirectoryTest
{
    private const int Cases = 120;

    private static readonly string[] Commands = ["run", "verify", "report", "bench", "cluster up", "cluster down", "cluster logs", "image build", "bogus"];

    private static readonly string[] Options =
    [
        "--image", "--dist", "--base-image", "--messages", "--rate", "--producers", "--acks", "--producer-config", "--keys", "--commit",
        "--batch", "--processing-ms", "--dedup", "--fault", "--fault-at", "--fault-duration", "--broker", "--partition", "--delay-ms",
        "--loss-percent", "--crash-point", "--bootstrap", "--kafka-version", "--client-config", "--seed", "--keep-cluster", "--brokers",
        "--sizes", "--linger", "--partitions", "--replication-factor", "--batch-size", "--duration", "--produced", "--consumed", "--role",
        "--min-insync-replicas", "--broker-config", "--all", "--help", "-h", "--version", "--mesages", "-", "--", "---x",
    ];

    private static readonly string[] Values =
    [
        "0", "1", "-1", "2", "3", "all", "-5", "1e400", "NaN", "∞", "99999999999999999999", "0x10", "", " ", "abc", "1.5", "2147483648",
        "acks=2", "acks=all", "linger.ms=x", "message.timeout.ms=soon", "=", "a=b=c", "kill-leader", "explode", "net-loss", "none",
        "process-then-commit-sync", "auto-commit", "after-commit", "0.9.0", "9.9.9", "x:1", "/nonexistent", "experiments/acks-leader-kill.yaml",
        "experiments/bench/default.yaml", "💥", "\u202e", "--acks", "10s", "-0", "1,2", "sequence",
    ];

    [Test]
    public async Task RandomCommandLines_EndWithAKnownExitAndOneLineOfCause()
    {
        var seed = Random.Shared.Next();
        TestContext.Progress.WriteLine($"command lines from seed {seed}");
        var random = new Random(seed);
        var lines = Enumerable.Range(0, Cases).Select(_ => CommandLine(random)).ToList();
        foreach (var batch in lines.Chunk(4))
        {
            await Task.WhenAll(batch.Select(CheckCommandLineAsync));
        }
    }

    [Test]
    public async Task RandomBytesInAnyFileOfACompletedRun_AreDamageOrAgreement_NeverAFalseLoss()
    {
        var seed = Random.Shared.Next();
        TestContext.Progress.WriteLine($"damage from seed {seed}");
        var random = new Random(seed);
        var cases = Enumerable.Range(0, Cases / 2).Select(i =>
        {
            var directory = Directory.CreateDirectory(Path.Combine(TestDirectory, $"run-{i}")).FullName;
            SampleRun.Write(directory);
            var files = Directory.GetFiles(directory);
            var file = files[random.Next(files.Length)];
            var bytes = File.ReadAllBytes(file);
            var damaged = random.Next(1, 5);
            var position = random.Next(bytes.Length);
            for (var k = 0; k < damaged && position + k < bytes.Length; k++)
            {
                bytes[position + k] = (byte)random.Next(256);
            }

            File.WriteAllBytes(file, bytes);
            return (directory, What: $"{Path.GetFileName(file)} bytes {position}..{position + damaged - 1}");
        }).ToList();

        foreach (var batch in cases.Chunk(4))
        {
            await Task.WhenAll(batch.Select(async c =>
            {
                var (exitCode, output, error) = await CliProcess.RunAsync("verify", c.directory);
                var context = $"{c.What}: exit {exitCode}\n{error}{output}";
                Assert.That(exitCode, Is.AnyOf(0, 1, 2), context);
                AssertOneCleanLine(exitCode, error, context);
                if (exitCode == 0)
                {
                    // Agreement with results.json, whose counts are the intact run's: nothing lost.
                    Assert.That(output, Does.Match(@"lost\s*│\s*0\s"), context);
                }
            }));
        }
    }

    private static string[] CommandLine(Random random)
    {
        var words = new List<string>(Commands[random.Next(Commands.Length)].Split(' '));
        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            switch (random.Next(4))
            {
                case 0:
                    words.Add(Values[random.Next(Values.Length)]);
                    break;
                default:
                    words.Add(Options[random.Next(Options.Length)]);
                    if (random.Next(4) != 0)
                    {
                        words.Add(Values[random.Next(Values.Length)]);
                    }

                    break;
            }
        }

        return [.. words];
    }

    private async Task CheckCommandLineAsync(string[] arguments)
    {
        var runs = Path.Combine(TestDirectory, Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock" };
        string[] full = arguments[0] is "run" or "bench" ? [.. arguments, "--runs-dir", runs] : arguments;
        using var process = CliProcess.Start(environment, full);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2), TimeProvider.System);
        var context = $"kafka-chaos {string.Join(' ', full.Select(a => $"'{a}'"))}: exit {process.ExitCode}\n{await error}";
        Assert.That(process.ExitCode, Is.AnyOf(0, 1, 2, 3), context);
        if (arguments.Contains("--help") || arguments.Contains("-h") || arguments.Contains("--version"))
        {
            return; // help and version print pages of their own
        }

        AssertOneCleanLine(process.ExitCode, await error, context);
        if (process.ExitCode == 2)
        {
            Assert.That(Directory.Exists(runs) ? Directory.EnumerateFileSystemEntries(runs) : [], Is.Empty, "no run directory for a run that never started: " + context);
        }
    }

    private static void AssertOneCleanLine(int exitCode, string error, string context)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (exitCode != 0)
        {
            Assert.That(lines, Has.Length.GreaterThanOrEqualTo(1), "a cause is given: " + context);
        }

        Assert.That(lines.Count(l => !IsProgress(l)), Is.LessThanOrEqualTo(1), "one line of cause: " + context);
        Assert.That(error, Does.Not.Contain("   at ").And.Not.Contain("Exception").And.Not.Match(@"\bSystem\.[A-Z]"), "no stack trace or .NET type name: " + context);
    }

    /// <summary>Timestamped progress lines ("12:00:01 crash: 1 cell(s)") that come before a failure.</summary>
    private static bool IsProgress(string line) => line.Length > 9 && line[2] == ':' && line[5] == ':' && line[8] == ' ';
}
