using KafkaChaos.ClusterTests;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

/// <summary>
/// Every setting that both an experiment file and a run flag can set, given both ways to the built binary's
/// <c>check</c>, which resolves the flags exactly as <c>run</c> does: unset, both give the same defaults; set
/// to the same value, the same resolved settings; set out of range, both refuse it with exit 2 and one line
/// naming the flag, or the file and its key.
/// </summary>
public class FileAndFlagAgreementTests : TemporaryDirectoryTest
{
    /// <summary>(flags, the same in a file's YAML, a valid value that is not the default, one that is refused).</summary>
    private static IEnumerable<TestCaseData> Settings()
    {
        static TestCaseData Row(string flag, string section, string key, string valid, string refused, string? fileValid = null, string? fileRefused = null) =>
            new TestCaseData(flag, $"{section}: {{ {key}: VALUE }}", valid, refused, fileValid ?? valid, fileRefused ?? refused).SetArgDisplayNames(flag);
        static TestCaseData FaultRow(string fault, string flag, string key, string valid, string refused, string? fileValid = null, string? fileRefused = null) =>
            new TestCaseData($"--fault {fault} {flag}", $"faults:\n  - {{ kind: {fault}, {key}: VALUE }}", valid, refused, fileValid ?? valid, fileRefused ?? refused)
                .SetArgDisplayNames(flag);
        yield return Row("--messages", "workload", "messages", "7000", "0");
        yield return Row("--rate", "workload", "rate", "500", "20000000");
        yield return Row("--producers", "workload", "producers", "4", "17");
        yield return Row("--keys", "workload", "keys", "sequence", "bogus");
        yield return Row("--acks", "producer", "acks", "1", "2");
        yield return Row("--commit", "consumer", "commit", "process-then-commit-sync", "bogus");
        yield return Row("--batch", "consumer", "batch", "10", "0");
        yield return Row("--processing-ms", "consumer", "processing_ms", "5", "100000");
        yield return Row("--brokers", "cluster", "brokers", "5", "10");
        yield return Row("--cluster-mode", "cluster", "mode", "kraft", "bogus");
        yield return Row("--controllers", "cluster", "controllers", "3", "2");
        yield return Row("--partitions", "topic", "partitions", "6", "5000");
        yield return Row("--replication-factor", "topic", "replication_factor", "2", "4");
        yield return Row("--min-insync-replicas", "topic", "min_insync_replicas", "1", "4");
        yield return FaultRow("kill-leader", "--fault-at", "at", "3", "-1", "3s", "-1s");
        yield return FaultRow("kill-leader", "--fault-duration", "duration", "7", "-1", "7s", "-1s");
        yield return FaultRow("kill-leader", "--partition", "partition", "1", "7");
        yield return FaultRow("pause-broker", "--broker", "broker", "2", "9");
        yield return FaultRow("net-loss", "--loss-percent", "loss_percent", "30", "150");
        yield return FaultRow("net-delay", "--delay-ms", "delay_ms", "250", "-5");
    }

    [Test]
    public async Task Unset_TheFileAndTheFlagsResolveTheSameDefaults()
    {
        var fromFlags = await CheckAsync();
        var fromFile = await CheckAsync(WriteFile("faults:\n  - { kind: kill-leader }"));

        Assert.That((fromFlags.ExitCode, fromFile.ExitCode), Is.EqualTo((0, 0)), fromFlags.Error + fromFile.Error);
        Assert.That(ResolvedSettings(fromFile.Output), Is.EqualTo(ResolvedSettings(fromFlags.Output)));
    }

    [TestCaseSource(nameof(Settings))]
    public async Task SetToTheSameValue_TheFileAndTheFlagResolveTheSame(string flags, string yaml, string valid, string refused, string fileValid, string fileRefused)
    {
        var fromFlags = await CheckAsync([.. flags.Split(' '), valid]);
        var fromFile = await CheckAsync(WriteFile(FileText(flags, yaml, fileValid)));

        Assert.That((fromFlags.ExitCode, fromFile.ExitCode), Is.EqualTo((0, 0)), fromFlags.Error + fromFile.Error);
        var defaults = ResolvedSettings((await CheckAsync()).Output);
        Assert.That(ResolvedSettings(fromFlags.Output), Is.Not.EqualTo(defaults), "the value is not the default, so the comparison shows something");
        Assert.That(ResolvedSettings(fromFile.Output), Is.EqualTo(ResolvedSettings(fromFlags.Output)));
    }

    [TestCaseSource(nameof(Settings))]
    public async Task OutOfRange_TheFileAndTheFlagAreBothRefused(string flags, string yaml, string valid, string refused, string fileValid, string fileRefused)
    {
        var flag = flags.Split(' ')[^1];
        var fromFlags = await CheckAsync([.. flags.Split(' '), refused]);
        var path = WriteFile(FileText(flags, yaml, fileRefused));
        var fromFile = await CheckAsync(path);

        Assert.That((fromFlags.ExitCode, fromFile.ExitCode), Is.EqualTo((2, 2)), fromFlags.Output + fromFile.Output);
        Assert.That(fromFlags.Error.Trim().Split('\n'), Has.Length.EqualTo(1), fromFlags.Error);
        Assert.That(fromFile.Error.Trim().Split('\n'), Has.Length.EqualTo(1), fromFile.Error);
        Assert.That(fromFlags.Error, Does.Contain(flags.StartsWith("--fault ", StringComparison.Ordinal) ? "--fault" : flag).And.Contain(refused.TrimStart('-')));
        Assert.That(fromFile.Error, Does.Contain(path).And.Contain(fileRefused.TrimStart('-')));
    }

    /// <summary>The resolved settings <c>check</c> prints, without the source line and the cell's name (a file names its cell, the flags derive one).</summary>
    private static string[] ResolvedSettings(string output) =>
        [.. output.Split('\n').Skip(1).Where(l => !l.StartsWith("  cell ", StringComparison.Ordinal) && !l.StartsWith("ok:", StringComparison.Ordinal))];

    /// <summary>A file for the flags: the fault the flags name (kill-leader, run's default, when none), else the section with the value.</summary>
    private static string FileText(string flags, string yaml, string value) =>
        yaml.Replace("VALUE", value, StringComparison.Ordinal) + (flags.StartsWith("--fault ", StringComparison.Ordinal) ? "" : "\nfaults:\n  - { kind: kill-leader }");

    private string WriteFile(string body)
    {
        var path = Path.Combine(TestDirectory, $"cell-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"name: agreement\n{body}\n");
        return path;
    }

    private static Task<(int ExitCode, string Output, string Error)> CheckAsync(params string[] arguments) => CliProcess.RunAsync(["check", .. arguments]);
}
