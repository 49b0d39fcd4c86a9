using System.CommandLine;
using System.Globalization;
using System.Text;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Experiments.Replay;
using KafkaChaos.Reporting;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos replay runs/&lt;id&gt;/cells/NNN [--repetitions N] [--by-role]</c>: a cell's recorded schedule run
/// again on a fresh cluster, the same faults at the same times on the same broker ids, with the same settings and
/// seed; replay.md says how far each fault's timing landed from the recording.
/// </summary>
public static class ReplayCommand
{
    public static Command Create(CancellationToken interrupt)
    {
        var cell = new Argument<string>("cell-dir") { Description = "a cell directory holding schedule.json (runs/<id>/cells/NNN, or the run directory of a one-cell run)" };
        var repetitions = new Option<int>("--repetitions") { Description = "how many times to replay it (1..100)", DefaultValueFactory = _ => 1 };
        var byRole = new Option<bool>("--by-role") { Description = "resolve each fault's target by its role again (the leader now, the controller now) instead of the recorded broker id" };
        var image = new Option<string?>("--image") { Description = "broker image to replay on (default: the recording's, which the engine must hold)" };
        var dist = new Option<string?>("--dist") { Description = "Kafka distribution to build the broker image from instead" };
        var runs = new Option<string>("--runs-dir") { Description = "where run directories are written", DefaultValueFactory = _ => "runs" };
        var command = new Command("replay", "Run a cell's recorded schedule again: the same faults at the same times on the same broker ids") { cell, repetitions, byRole, image, dist, runs };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            var directory = parse.GetValue(cell)!;
            var times = parse.GetValue(repetitions);
            if (times is < 1 or > 100)
            {
                throw new ExperimentConfigException($"--repetitions: '{times}' is not a whole number 1..100");
            }

            var schedule = ReplaySchedule.Read(directory);
            var plan = ReplayPlan.Of(schedule, Path.Combine(directory, ReplaySchedule.FileName), times, parse.GetValue(byRole), out var notes);
            foreach (var note in notes)
            {
                Log(note);
            }

            if (parse.GetValue(image) is null && parse.GetValue(dist) is null && schedule.Image.StartsWith('('))
            {
                throw new ExperimentConfigException($"{Path.Combine(directory, ReplaySchedule.FileName)}: recorded on a cluster the tool did not start {schedule.Image}; a replay starts its own: pass --image or --dist");
            }

            var runsDirectory = Path.GetFullPath(parse.GetValue(runs)!);
            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var (imageName, version) = await new BrokerImageBuilder(engine).ResolveAsync(parse.GetValue(image) ?? (parse.GetValue(dist) is null ? schedule.Image : null),
                DistributionPath.FromFlagOrEnvironment(parse.GetValue(dist)), BrokerImageBuilder.DefaultBaseImage, Path.Combine(runsDirectory, ".dist"), Log, interrupt, pull: false);
            plan.CheckVersion(version);
            var outcome = await new MatrixRunner(engine, TimeProvider.System, Log).RunAsync(plan, imageName, version, runsDirectory, null, interrupt);
            var timing = Timing(schedule, outcome);
            Reports.WriteAtomically(Path.Combine(outcome.RunDirectory, "replay.md"), timing);
            Console.Write(timing);
            return RunVerdict.Print(outcome, version);
        }));
        return command;
    }

    /// <summary>Each replayed fault's phases beside the recording's, cell by cell: how far the replay landed from it.</summary>
    private static string Timing(ReplaySchedule recorded, RunOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Replay of {recorded.Cell}\n\nRecorded on Kafka {recorded.KafkaVersion} ({recorded.Image}), seed {recorded.Seed}. Times are seconds from the workload's start.\n\n");
        text.Append("| cell | fault | broker (recorded → replayed) | applied (recorded → replayed) | off by |\n|---|---|---|---|---|\n");
        var applied = recorded.Faults.Where(f => f.AppliedSeconds is not null).ToList();
        foreach (var cell in outcome.Results.Cells.Where(c => c.Directory is not null))
        {
            var cellDirectory = Path.Combine(outcome.RunDirectory, cell.Directory!);
            if (!File.Exists(Path.Combine(cellDirectory, ReplaySchedule.FileName)))
            {
                text.Append(CultureInfo.InvariantCulture, $"| {cell.Name} | — | — | — | the cell recorded no schedule ({cell.Status}) |\n");
                continue;
            }

            var replayed = ReplaySchedule.Read(cellDirectory).Faults;
            for (var i = 0; i < applied.Count; i++)
            {
                var now = i < replayed.Count ? replayed[i] : null;
                var off = now?.AppliedSeconds is { } at ? $"{at - applied[i].AppliedSeconds!.Value:+0.000;-0.000} s" : "not applied";
                text.Append(CultureInfo.InvariantCulture,
                    $"| {cell.Name} | {applied[i].Kind}{(now is not null && now.Kind != applied[i].Kind ? $" as {now.Kind}" : "")} | {applied[i].Broker?.ToString(CultureInfo.InvariantCulture) ?? "—"} → {now?.Broker?.ToString(CultureInfo.InvariantCulture) ?? "—"} | {applied[i].AppliedSeconds:0.000} → {now?.AppliedSeconds?.ToString("0.000", CultureInfo.InvariantCulture) ?? "—"} | {off} |\n");
            }
        }

        return text.Append('\n').ToString();
    }

    private static void Log(string line) => Console.Error.WriteLine($"{TimeProvider.System.GetLocalNow():HH:mm:ss} {line}");
}
