using KafkaChaos.ClusterTests;
using KafkaChaos.Experiments;
using KafkaChaos.Experiments.Settings;
using KafkaChaos.Faults;
using NUnit.Framework;

namespace KafkaChaos.Tests.Experiments;

/// <summary>
/// Every setting with a descriptor, walked: each of its sample values and a set of bad ones is given once in an
/// experiment file and once as the flag to the built binary's <c>check</c>, which resolves flags exactly as
/// <c>run</c> does. Both must take the same values to the same resolved settings, and refuse the same values,
/// each refusal in one line that names the file or the flag and the value.
/// </summary>
public class SettingWalkTests : TemporaryDirectoryTest
{
    private static readonly string[] BadValues = ["bogus", "-1", "1.5", "99999999999", "2h30"];

    /// <summary>What a setting needs beside it to take its other values: a store to mark, a restart to resend after.</summary>
    private static readonly Dictionary<string, (string? Setting, string? Fault, string[] Flags)> Context = new(StringComparer.Ordinal)
    {
        [ConsumerSettings.DedupMark.Key] = (ConsumerSettings.Dedup.Key, null, ["--dedup", "--fault", "none"]),
        [WorkloadSettings.ResendOnRestart.Key] = (null, FaultKinds.RestartProducer, ["--fault", FaultKinds.RestartProducer]),
    };

    /// <summary>What a fault's option needs beside it: a delay to jitter around, an interval to repeat at.</summary>
    private static readonly Dictionary<string, (string Key, string Value)> FaultContext = new(StringComparer.Ordinal)
    {
        [FaultSettings.JitterMs.Key] = (FaultSettings.DelayMs.Key, "60000"),
        [FaultSettings.Count.Key] = (FaultSettings.Every.Key, "1s"),
    };

    private static IEnumerable<TestCaseData> Every() =>
        SpecSettings.All.Concat<SettingDescriptor>(FaultSettings.All).Select(s => new TestCaseData(s).SetArgDisplayNames(s.Key));

    [TestCaseSource(nameof(Every))]
    public async Task EveryValue_TheFileAndTheFlagTakeAndRefuseItAlike(SettingDescriptor setting)
    {
        var defaults = FileLines(WriteFile(FileText(setting, null)));
        var (taken, refused) = (0, 0);
        foreach (var value in setting.Samples.Concat(BadValues).Distinct())
        {
            var path = WriteFile(FileText(setting, value));
            var fromFlags = await CliProcess.RunAsync(["check", .. FlagArguments(setting, value)]);
            string[]? fromFile;
            string fileError = "";
            try
            {
                fromFile = FileLines(path);
            }
            catch (ExperimentConfigException e)
            {
                (fromFile, fileError) = (null, e.Message);
            }

            if (fromFile is not null)
            {
                Assert.That(fromFlags.ExitCode, Is.Zero, $"{value}: the file takes it, the flag does not: {fromFlags.Error}");
                Assert.That(CheckLines(fromFlags.Output), Is.EqualTo(fromFile), $"{value}: the file and the flag resolve differently");
                taken += fromFile.SequenceEqual(defaults) ? 0 : 1;
            }
            else
            {
                Assert.That(fromFlags.ExitCode, Is.EqualTo(2), $"{value}: the flag takes what the file refuses ({fileError}): {fromFlags.Output}");
                Assert.That(fromFlags.Error.Trim().Split('\n'), Has.Length.EqualTo(1), fromFlags.Error);
                Assert.That(fromFlags.Error, Does.Contain(Said(value)).And.Contain(setting.Flag).Or.Contain("--fault: "), $"{value}: the refusal names the flag and the value");
                Assert.That(fileError, Does.Contain(path).And.Contain(Said(value)), $"{value}: the refusal names the file and the value");
                refused++;
            }
        }

        // The walk shows something only if some value changes the resolved settings and some value is refused.
        Assert.That(taken, Is.Positive, "no value changed the resolved settings");
        Assert.That(refused, Is.Positive, "no value was refused");
    }

    [Test]
    public async Task Unset_TheFileAndTheFlagsResolveTheSameDefaults()
    {
        var fromFlags = await CliProcess.RunAsync("check");
        var fromFile = FileLines(WriteFile("faults:\n  - { kind: kill-leader }"));

        Assert.That(fromFlags.ExitCode, Is.Zero, fromFlags.Error);
        Assert.That(CheckLines(fromFlags.Output), Is.EqualTo(fromFile));
    }

    [TestCaseSource(nameof(Every))]
    public void Unset_ASettingIsAtTheDefaultItsDescriptorStates(SettingDescriptor setting)
    {
        if (setting is SettingDescriptor<ExperimentSpec> { Described: true } described && !setting.DefaultText.Contains(',', StringComparison.Ordinal))
        {
            Assert.That(described.Describe(ExperimentFile.Parse("d.yaml", "name: d\n").Cells.Single().Spec), Is.EqualTo(setting.DefaultText));
        }
        else if (setting is SettingDescriptor<FaultSpec> option)
        {
            var fault = ExperimentFile.Parse("d.yaml", $"name: d\nfaults:\n  - {{ kind: {KindTaking(setting)} }}\n").Cells.Single().Spec.Faults.Single();
            Assert.That(option.Describe(fault), Is.EqualTo(option.Describe(FaultSettings.Template)));
        }

        Assert.That(SettingCatalog.Fixed.GetValueOrDefault(setting.Key) ?? setting.Doc, Does.StartWith(setting.Doc), "the catalog's doc is the descriptor's");
    }

    [Test]
    public async Task Help_ShowsEverySettingsDefaultAndKey()
    {
        var (_, output, _) = await CliProcess.RunAsync("run", "--help");
        var help = string.Join(' ', output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));

        foreach (var setting in SpecSettings.All.Concat<SettingDescriptor>(FaultSettings.All))
        {
            Assert.That(help, Does.Contain($"{setting.Flag} <").And.Contain($"(default {setting.DefaultText}; in a file: {setting.Key})"), setting.Key);
        }
    }

    [Test]
    public async Task Docs_SettingsMdIsWhatTheDescriptorsSay()
    {
        var (exitCode, output, error) = await CliProcess.RunAsync("settings");

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(File.ReadAllText(Path.Combine(RepositoryPaths.Root(), "docs", "settings.md")), Is.EqualTo(output),
            "docs/settings.md is out of date: write it again with 'kafka-chaos settings > docs/settings.md'");
    }

    [Test]
    public void FaultOption_TheKindDoesNotTake_IsRefusedNamingTheKindsOptions()
    {
        var error = Assert.Throws<ExperimentConfigException>(() => ExperimentFile.Parse("f.yaml", "name: f\nfaults:\n  - { kind: kill-leader, delay_ms: 250 }\n"))!;

        Assert.That(error.Message, Is.EqualTo("f.yaml:3:36: key 'delay_ms' does not apply to kill-leader, which takes partition, at, every, count, window or duration"));
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

    /// <summary>How a refusal says a value: as given, or its number where a check states it in its own unit ("60 s").</summary>
    private static string Said(string value) => value.Any(char.IsAsciiDigit) ? new string([.. value.TrimStart('-').TakeWhile(c => char.IsAsciiDigit(c) || c == '.')]) : value;

    /// <summary>The first kind that reads the option; kill-leader for the timing every kind takes.</summary>
    private static string KindTaking(SettingDescriptor option) =>
        FaultKinds.All.FirstOrDefault(k => FaultKinds.Of(k).Options.Contains(option.Key)) ?? FaultKinds.KillLeader;

    /// <summary>A file setting <paramref name="value"/> (or nothing), with what the setting needs beside it and no fault unless it is a fault's.</summary>
    private static string FileText(SettingDescriptor setting, string? value)
    {
        if (setting is SettingDescriptor<FaultSpec>)
        {
            var beside = FaultContext.TryGetValue(setting.Key, out var extra) ? $", {extra.Key}: '{extra.Value}'" : "";
            return $"faults:\n  - {{ kind: {KindTaking(setting)}{(value is null ? "" : $", {setting.Key}: '{value}'{beside}")} }}";
        }

        var needs = Context.GetValueOrDefault(setting.Key);
        var settings = new List<(string Key, string Value)>();
        if (value is not null)
        {
            settings.Add((setting.Key, value));
        }

        if (needs.Setting is { } other)
        {
            settings.Add((other, "true"));
        }

        var sections = settings.GroupBy(s => s.Key[..s.Key.IndexOf('.', StringComparison.Ordinal)])
            .Select(g => $"{g.Key}:\n" + string.Join("\n", g.Select(s => $"  {s.Key[(g.Key.Length + 1)..]}: '{s.Value}'")));
        return string.Join("\n", sections) + (needs.Fault is { } fault ? $"\nfaults:\n  - {{ kind: {fault} }}" : "");
    }

    /// <summary>The flags that say what <see cref="FileText"/> says.</summary>
    private static string[] FlagArguments(SettingDescriptor setting, string value) => setting is SettingDescriptor<FaultSpec>
        ? ["--fault", KindTaking(setting), setting.Flag, value,
            .. FaultContext.TryGetValue(setting.Key, out var beside) ? [FaultSettings.All.Single(o => o.Key == beside.Key).Flag, beside.Value] : Array.Empty<string>()]
        : [.. Context.TryGetValue(setting.Key, out var needs) ? needs.Flags : ["--fault", "none"], setting.Flag, value];

    /// <summary>What <c>check</c> would print of the file's one cell (which the loader has validated): its fault lines and its settings, without its name.</summary>
    private static string[] FileLines(string path)
    {
        var spec = ExperimentFile.Load(path).Cells.Single().Spec;
        return
        [
            .. spec.Faults.Select(f => $"  fault: {f.Describe()}"),
            .. spec.Describe().Where(kv => kv.Key != "name").OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"    {kv.Key}={kv.Value}"),
        ];
    }

    private static string[] CheckLines(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith("  fault: ", StringComparison.Ordinal) || l.StartsWith("    ", StringComparison.Ordinal)).Where(l => !l.StartsWith("    expect ", StringComparison.Ordinal))];

    private string WriteFile(string body)
    {
        var path = Path.Combine(TestDirectory, $"cell-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"name: walk\n{body}\n");
        return path;
    }
}
