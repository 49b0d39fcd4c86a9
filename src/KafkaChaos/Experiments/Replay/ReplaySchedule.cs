using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KafkaChaos.Experiments.Settings;
using KafkaChaos.Faults;
using KafkaChaos.Journal;

namespace KafkaChaos.Experiments.Replay;

/// <summary>
/// A cell's schedule.json: the resolved plan it ran, enough to run it again (<c>kafka-chaos replay</c>). Every
/// setting as a file gives it, the seed that drew the fault times, targets and random keys, the broker version
/// and image, and each fault application with its target and phase times as they really were.
/// </summary>
public sealed partial record ReplaySchedule(
    int SchemaVersion,
    string Cell,
    string KafkaVersion,
    string Image,
    int Brokers,
    int Seed,
    long WorkloadStartMs,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<ScheduledFault> Faults)
{
    public const string FileName = "schedule.json";

    public const int CurrentSchemaVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>The schedule of a cell that ran <paramref name="spec"/> with the nemesis <paramref name="nemesis"/>.</summary>
    /// <param name="spec">The cell's spec.</param>
    /// <param name="config">The cell's config as results.json records it (image, version and seed included).</param>
    /// <param name="nemesis">The nemesis, after its run: its start and every application it made.</param>
    public static ReplaySchedule Of(ExperimentSpec spec, IReadOnlyDictionary<string, string> config, Nemesis nemesis)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(nemesis);
        // The spec's own settings, as a file gives them: the config also holds what the target resolved them to
        // (cluster.controllers: none in ZooKeeper mode), which is no value a file takes; a replay resolves them again.
        var settings = spec.Describe().Where(c => SettingCatalog.IsKnown(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var start = nemesis.StartedMs;
        double? Seconds(IReadOnlyList<FaultEvent> events, params FaultPhase[] phases) =>
            events.FirstOrDefault(e => phases.Contains(e.Phase)) is { } e ? Math.Round((e.TimestampMs - start) / 1000.0, 3) : null;
        var faults = nemesis.Applied.Select(a =>
        {
            var events = a.Fault.Events;
            var target = events.FirstOrDefault()?.Target;
            return new ScheduledFault(a.Spec.Kind, OptionsOf(a.Spec), Math.Round(a.At.TotalSeconds, 3),
                target is not null && BrokerTarget().Match(target) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null,
                target, Seconds(events, FaultPhase.Start), Seconds(events, FaultPhase.Verified), Seconds(events.Skip(1).ToList(), FaultPhase.End));
        }).ToList();
        return new ReplaySchedule(CurrentSchemaVersion, spec.Name, config.GetValueOrDefault("cluster.kafka.version") ?? "", config.GetValueOrDefault("cluster.image") ?? "",
            spec.Brokers, int.Parse(config.GetValueOrDefault("nemesis.seed") ?? "0", CultureInfo.InvariantCulture), start, settings, faults);
    }

    /// <summary>A fault's options as a file's fault entry gives them: the options its kind takes, and its duration.</summary>
    public static Dictionary<string, string> OptionsOf(FaultSpec fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var kind = FaultKinds.Of(fault.Kind);
        var keys = kind.HasDuration ? [.. kind.Options, FaultOptionKeys.Duration] : kind.Options;
        return FaultSettings.Describe(fault, keys).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
    }

    public void Write(string cellDirectory) =>
        Reporting.Reports.WriteAtomically(Path.Combine(cellDirectory, FileName), JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>The schedule.json of <paramref name="cellDirectory"/>.</summary>
    /// <exception cref="ExperimentConfigException">Missing or damaged, naming the file.</exception>
    public static ReplaySchedule Read(string cellDirectory)
    {
        ArgumentNullException.ThrowIfNull(cellDirectory);
        var path = Path.Combine(cellDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new ExperimentConfigException($"{path}: not found; replay takes a cell directory of a run (runs/<id>/cells/NNN, or the run directory of a one-cell run)");
        }

        try
        {
            var schedule = JsonSerializer.Deserialize<ReplaySchedule>(File.ReadAllText(path), Options);
            return schedule is { Settings: not null, Faults: not null, Cell: not null } && schedule.SchemaVersion == CurrentSchemaVersion
                ? schedule
                : throw new ExperimentConfigException($"{path}: not a schedule of schema {CurrentSchemaVersion}");
        }
        catch (JsonException e)
        {
            throw new ExperimentConfigException($"{path}: damaged ({JsonDamage.Describe(e)})");
        }
    }

    [GeneratedRegex(@"^broker-(\d+)\b")]
    private static partial Regex BrokerTarget();
}
