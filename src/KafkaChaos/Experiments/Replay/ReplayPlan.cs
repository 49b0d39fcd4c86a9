using System.Globalization;
using KafkaChaos.Experiments.Settings;
using KafkaChaos.Faults;

namespace KafkaChaos.Experiments.Replay;

/// <summary>
/// A recorded schedule as a plan to run again: the same settings and seed (so the same workload and keys), and
/// each applied fault at the offset it was really applied at. By default a fault hits the broker id it hit
/// then: a fault aimed by role (the leader, the controller, the coordinator) becomes a kill of that broker, and a
/// fault that names a broker is pinned to it. With <c>--by-role</c> each keeps its own kind and resolves its role
/// again on the new cluster.
/// </summary>
public static class ReplayPlan
{
    /// <summary>Kinds aimed by role whose effect is the same kill of one broker: by id they replay as kill-broker.</summary>
    private static readonly string[] KillsByRole = [FaultKinds.KillLeader, FaultKinds.KillController, FaultKinds.KillCoordinator];

    /// <param name="schedule">The recording.</param>
    /// <param name="path">Its schedule.json, for errors.</param>
    /// <param name="repetitions">How many times to run it.</param>
    /// <param name="byRole">Resolve each fault's role again instead of hitting the recorded broker.</param>
    /// <param name="notes">How each fault is replayed, for the log and the replay's own record.</param>
    /// <exception cref="ExperimentConfigException">A schedule that cannot be one recording, naming the file.</exception>
    public static ExperimentPlan Of(ReplaySchedule schedule, string path, int repetitions, bool byRole, out IReadOnlyList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var brokersKey = ClusterSettings.Brokers.Key;
        if (!schedule.Settings.TryGetValue(brokersKey, out var brokers) || brokers != schedule.Brokers.ToString(CultureInfo.InvariantCulture))
        {
            throw new ExperimentConfigException($"{path}: recorded on {schedule.Brokers} broker(s), but its settings give {brokersKey} {brokers ?? "(none)"}; the schedule is damaged");
        }

        var said = new List<string>();
        var faults = new List<FaultSpec>();
        for (var i = 0; i < schedule.Faults.Count; i++)
        {
            var recorded = schedule.Faults[i];
            if (recorded.AppliedSeconds is not { } applied)
            {
                said.Add($"fault {i + 1} ({recorded.Kind}): never applied when recorded; left out");
                continue;
            }

            var kind = recorded.Kind;
            var options = recorded.Options.ToDictionary(o => o.Key, o => (o.Value, $"{path}: faults[{i}].{o.Key}"), StringComparer.Ordinal);
            if (!byRole && recorded.Broker is { } id && KillsByRole.Contains(kind))
            {
                said.Add($"fault {i + 1}: {kind} hit broker {id}; replayed as kill-broker on broker {id} at {applied:0.###} s");
                options = options.Where(o => o.Key == FaultOptionKeys.Duration).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
                options[FaultOptionKeys.Broker] = (id.ToString(CultureInfo.InvariantCulture), $"{path}: faults[{i}]");
                kind = FaultKinds.KillBroker;
            }
            else if (!byRole && recorded.Broker is { } pinned && FaultKinds.Of(kind).Options.Contains(FaultOptionKeys.Broker))
            {
                said.Add($"fault {i + 1}: {kind} on broker {pinned} at {applied:0.###} s, as recorded");
                options[FaultOptionKeys.Broker] = (pinned.ToString(CultureInfo.InvariantCulture), $"{path}: faults[{i}]");
                options.Remove(FaultOptionKeys.AllBrokers);
            }
            else
            {
                said.Add($"fault {i + 1}: {kind} at {applied:0.###} s, its target resolved again{(byRole ? "" : " (it has no form pinned to one broker)")}");
            }

            var template = FaultSettings.Template with { When = new FaultTrigger(TimeSpan.FromSeconds(applied)) };
            faults.Add(FaultSettings.Build(kind, options, template));
        }

        var settings = schedule.Settings.Where(s => s.Key != "faults")
            .ToDictionary(s => s.Key, s => (s.Value, $"{path}: settings.{s.Key}"), StringComparer.Ordinal);
        var name = $"replay-{schedule.Cell}";
        var spec = SettingCatalog.BuildSpec(name, settings, faults, schedule.Seed);
        if (ExperimentSpecValidator.Problem(spec) is { } problem)
        {
            throw new ExperimentConfigException($"{path}: {problem}");
        }

        var flat = settings.ToDictionary(s => s.Key, s => s.Value.Value, StringComparer.Ordinal);
        var cells = Enumerable.Range(1, repetitions)
            .Select(k => new PlannedCell(repetitions == 1 ? name : $"{name}#{k}", spec, flat, new Dictionary<string, string>(), [], k)).ToList();
        notes = said;
        return new ExperimentPlan(name, $"a replay of {schedule.Cell}, recorded on Kafka {schedule.KafkaVersion}", path, cells, schedule.Image, schedule.KafkaVersion);
    }
}
