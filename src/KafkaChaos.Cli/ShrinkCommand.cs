using System.CommandLine;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Experiments.Replay;
using KafkaChaos.Experiments.Shrink;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos shrink runs/&lt;id&gt;/cells/NNN --anomaly lost [--repetitions N] [--at-least K] [--budget 30m]</c>: the
/// recorded plan of a failing cell made as small as it can be while the anomaly still shows in at least K of N
/// repetitions (<see cref="ShrinkSearch"/>), written as an experiment file with its measured rate, and every try in
/// shrink.log.
/// </summary>
public static class ShrinkCommand
{
    public static Command Create(CancellationToken interrupt)
    {
        var cell = new Argument<string>("cell-dir") { Description = "a cell directory holding schedule.json" };
        var anomaly = new Option<string>("--anomaly") { Description = "the count that must stay above 0 (lost, duplicate_writes, never_processed, ...)", Required = true };
        var repetitions = new Option<int>("--repetitions") { Description = "repetitions per candidate (1..20)", DefaultValueFactory = _ => 3 };
        var atLeast = new Option<int?>("--at-least") { Description = "repetitions that must show the anomaly for a candidate to be kept (default: all but one of more than 2)" };
        var budget = new Option<string>("--budget") { Description = "stop after this long, keeping the best plan so far", DefaultValueFactory = _ => "30m" };
        var byRole = new Option<bool>("--by-role") { Description = "resolve each fault's target by its role in every candidate, instead of the recorded broker id" };
        var image = new Option<string?>("--image") { Description = "broker image (default: the recording's, which the engine must hold)" };
        var runs = new Option<string>("--runs-dir") { Description = "where the shrink's directory is written", DefaultValueFactory = _ => "runs" };
        var command = new Command("shrink", "Make a failing cell's plan as small as it can be while the anomaly still shows in k of n repetitions")
        {
            cell, anomaly, repetitions, atLeast, budget, byRole, image, runs,
        };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            var count = LedgerCountCatalog.All.FirstOrDefault(c => c.IsAnomaly && c.Name == parse.GetValue(anomaly))
                ?? throw new ExperimentConfigException($"--anomaly: '{parse.GetValue(anomaly)}' is not an anomaly count; one of {Wording.Listed(LedgerCountCatalog.All.Where(c => c.IsAnomaly).Select(c => c.Name).ToList())}");
            var n = parse.GetValue(repetitions);
            var k = parse.GetValue(atLeast) ?? (n > 2 ? n - 1 : n);
            if (n is < 1 or > 20 || k < 1 || k > n)
            {
                throw new ExperimentConfigException($"--repetitions {n} --at-least {k}: need 1 <= at-least <= repetitions <= 20");
            }

            if (!Experiments.Settings.SettingKinds.TryParseDuration(parse.GetValue(budget)!, out var limit) || limit <= TimeSpan.Zero)
            {
                throw new ExperimentConfigException($"--budget: '{parse.GetValue(budget)}' is not a duration such as 30m or 2h");
            }

            var directory = parse.GetValue(cell)!;
            var schedule = ReplaySchedule.Read(directory);
            var failing = ReplayPlan.Of(schedule, Path.Combine(directory, ReplaySchedule.FileName), 1, parse.GetValue(byRole), out var notes).Cells[0].Spec;
            foreach (var note in notes)
            {
                Log(note);
            }

            var output = Path.Combine(Path.GetFullPath(parse.GetValue(runs)!), $"shrink-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}");
            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var (imageName, version) = await new BrokerImageBuilder(engine).ResolveAsync(parse.GetValue(image) ?? schedule.Image, null, BrokerImageBuilder.DefaultBaseImage,
                Path.Combine(output, ".dist"), Log, interrupt, pull: false);
            Directory.CreateDirectory(output);
            var log = Path.Combine(output, "shrink.log");

            async Task<int> SeenIn(ExperimentSpec candidate, CancellationToken cancellationToken)
            {
                var cells = Enumerable.Range(1, n).Select(i => new PlannedCell($"shrink#{i}", candidate with { Name = $"shrink#{i}" }, candidate.Describe(), new Dictionary<string, string>(), [], i)).ToList();
                var plan = new ExperimentPlan("shrink", "a shrink candidate", directory, cells, imageName, null);
                var outcome = await new MatrixRunner(engine, TimeProvider.System, _ => { }).RunAsync(plan, imageName, version, Path.Combine(output, "tries"), null, cancellationToken);
                return outcome.Results.Cells.Count(c => c.Status == RunStatus.Completed && c.Valid && count.Read(c.Counts) > 0);
            }

            void Tried(ShrinkTry attempt)
            {
                Log(attempt.ToString());
                File.AppendAllText(log, attempt + "\n");
            }

            var seen = await SeenIn(failing, interrupt);
            Tried(new ShrinkTry(0, "the recorded plan", seen, n, WilsonInterval.Of(seen, n), seen >= k));
            if (seen < k)
            {
                Console.WriteLine($"the recorded plan shows {count.Name} in {seen} of {n} repetitions, fewer than {k}: nothing to shrink (try more --repetitions or a lower --at-least)");
                return ExitCodes.ExpectationViolated;
            }

            var search = new ShrinkSearch(SeenIn, n, k, TimeProvider.System, limit, Tried);
            var smallest = await search.RunAsync(failing, interrupt);
            var rate = search.Tries.LastOrDefault(t => t.Kept) ?? new ShrinkTry(0, "the recorded plan", seen, n, WilsonInterval.Of(seen, n), true);
            var file = Path.Combine(output, "shrunk.yaml");
            File.WriteAllText(file, FormattableString.Invariant($"# Shows {count.Name} in {rate.Seen} of {rate.Runs} repetitions ({rate.Interval}), shrunk from {directory} in {search.Tries.Count} tries (shrink.log).\n")
                + ExperimentFileWriter.Render(smallest with { Name = "shrunk" }, new Dictionary<string, string>(), "kafka-chaos " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))));
            Console.WriteLine(FormattableString.Invariant($"{file}: {smallest.Faults.Count} fault(s), {smallest.Messages:N0} messages; shows {count.Name} in {rate.Seen} of {rate.Runs} ({rate.Interval})"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Log(string line) => Console.Error.WriteLine($"{TimeProvider.System.GetLocalNow():HH:mm:ss} {line}");
}
